# Warnings are errors for everything this project compiles. Third-party
# headers come in as SYSTEM includes and are not affected.
add_library(smharden_warnings INTERFACE)
add_library(smharden::warnings ALIAS smharden_warnings)
target_compile_options(smharden_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wcast-align -Wformat=2 -Wimplicit-fallthrough -Werror
  # C++ only: the C files (the ABI header compiled as C) would warn that they do not apply.
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Woverloaded-virtual>)

if(SMHARDEN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(WIN32)
  # MinGW: one self-contained exe/dll each, no libstdc++/winpthread DLLs to ship.
  # Windows 10 / Server 2016 API level: BCryptHash and the BCRYPT_*_ALG_HANDLE
  # pseudo-handles (core/base/sha256.cpp) are declared only from there on.
  add_compile_definitions(_WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX UNICODE _UNICODE)
  add_link_options(-static -static-libgcc -static-libstdc++)
endif()
