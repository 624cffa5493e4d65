# Turns a text file into a C++ source defining `extern const std::string_view NAME`.
# Used for the OpenAPI fragments and the dashboard page, so the binary needs no files.
# Invoked as: cmake -DIN=file -DOUT=file.cpp -DNAME=symbol -DNS=namespace -P embed.cmake
file(READ "${IN}" content)
set(delim "shopd_embed")
file(WRITE "${OUT}" "// generated from ${IN}; do not edit\n#include <string_view>\nnamespace ${NS} {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"${delim}(${content})${delim}\";\n}\n")
