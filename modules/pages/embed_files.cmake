# Compiles the files FILES ("a|b|c", paths under DIR) into one table,
# shop::pages::kWebFiles (see web_files.hpp), one raw string literal per file, as
# cmake/embed.cmake does for a single file.
# Invoked as: cmake -DDIR=dir "-DFILES=a|b" -DOUT=file.cpp -P embed_files.cmake
string(REPLACE "|" ";" files "${FILES}")
set(delim "shopd_embed")
file(WRITE "${OUT}" "// generated from ${DIR}; do not edit\n#include \"web_files.hpp\"\n#pragma GCC diagnostic ignored \"-Woverlength-strings\"\nnamespace shop::pages {\nconst WebFile kWebFilesArray[] = {\n")
foreach(f ${files})
  file(READ "${DIR}/${f}" content)
  string(FIND "${content}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the embed delimiter )${delim}\"")
  endif()
  file(APPEND "${OUT}" "    {\"${f}\", R\"${delim}(${content})${delim}\"},\n")
endforeach()
file(APPEND "${OUT}" "};\nconst std::span<const WebFile> kWebFiles(kWebFilesArray);\n}\n")
