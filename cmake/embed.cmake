# Turns a text file into a C++ source defining `extern const std::string_view NAME`.
# Used for the OpenAPI fragments and the dashboard page, so the binary needs no files.
# Invoked as: cmake -DIN=file -DOUT=file.cpp -DNAME=symbol -DNS=namespace -P embed.cmake
#
# One raw string literal holds the file. The standard only promises literals of 65,536
# characters, which a fragment outgrows (the catalogue's is ~90 KB); GCC and Clang take far
# longer ones, and -Wpedantic's -Woverlength-strings is silenced for this file alone.
file(READ "${IN}" content)
set(delim "shopd_embed")
file(WRITE "${OUT}" "// generated from ${IN}; do not edit\n#include <string_view>\n#pragma GCC diagnostic ignored \"-Woverlength-strings\"\nnamespace ${NS} {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"${delim}(${content})${delim}\";\n}\n")
