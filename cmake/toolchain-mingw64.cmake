# Cross-compile for Windows x64 with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix).
# The "-posix" compilers use the winpthreads threading model, which std::thread,
# std::mutex and spdlog need; the "-win32" ones do not provide them in GCC 12.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(SMHARDEN_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${SMHARDEN_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${SMHARDEN_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${SMHARDEN_MINGW_TRIPLE}-windres)

# Look for libraries and headers only in the MinGW sysroot, never in the Linux
# /usr (its glibc headers and ELF libraries would be picked up silently).
set(CMAKE_FIND_ROOT_PATH /usr/${SMHARDEN_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Release at -O2, not CMake's default -O3: GCC 12 at -O3 reports a false
# -Wrestrict inside libstdc++'s std::string operator+ (GCC bug 105651), which
# -Werror turns into a build failure. (A cache entry, because *_INIT flags are
# only prepended to CMake's own "-O3 -DNDEBUG".)
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C flags for Release builds")
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C++ flags for Release builds")
