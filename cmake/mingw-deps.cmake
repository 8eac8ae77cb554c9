# Dependencies for the MinGW-w64 cross-build (included by dependencies.cmake
# when WIN32). It defines the same target names the native build gets from
# the Debian packages' CMake configs, so no other CMakeLists.txt needs to care.
#
# Header-only libraries come from the Debian -dev packages in /usr/include,
# through one folder of symlinks per library: passing -I/usr/include would
# pull glibc headers into a Windows build (reference/windows-iis.md §D).
# pugixml needs its pugixml.cpp compiled for Windows: scripts/mingw-deps builds
# it from Debian's source package into build/mingw-deps.
# There is no libcurl or OpenSSL here: the SmarterMail client uses WinHTTP and
# hashing uses BCrypt on Windows.

set(SMHARDEN_MINGW_DEPS_DIR "${PROJECT_SOURCE_DIR}/build/mingw-deps"
    CACHE PATH "Output folder of scripts/mingw-deps (Windows builds of Debian source packages)")
set(SMHARDEN_MINGW_HEADER_ROOT "/usr/include"
    CACHE PATH "Where the Debian header-only libraries live")

set(smharden_mingw_include_dir "${CMAKE_BINARY_DIR}/mingw-include")

# smharden_mingw_header_library(<target> <tree-or-file>... [DEFINES <d>...] [LIBS <l>...])
# An imported INTERFACE target (like the ones the Debian CMake configs create,
# so install(EXPORT) of targets using it works) whose include folder holds
# symlinks to just the named entries of SMHARDEN_MINGW_HEADER_ROOT.
function(smharden_mingw_header_library name)
  cmake_parse_arguments(ARG "" "" "DEFINES;LIBS" ${ARGN})
  string(MAKE_C_IDENTIFIER "${name}" folder)
  set(dir "${smharden_mingw_include_dir}/${folder}")
  file(MAKE_DIRECTORY "${dir}")
  foreach(entry IN LISTS ARG_UNPARSED_ARGUMENTS)
    set(source "${SMHARDEN_MINGW_HEADER_ROOT}/${entry}")
    if(NOT EXISTS "${source}")
      message(FATAL_ERROR "MinGW build: ${source} not found; install the Debian package that provides it "
                          "(see .ci/packages)")
    endif()
    file(CREATE_LINK "${source}" "${dir}/${entry}" SYMBOLIC)
  endforeach()
  add_library(${name} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${dir}")
  if(ARG_DEFINES)
    set_target_properties(${name} PROPERTIES INTERFACE_COMPILE_DEFINITIONS "${ARG_DEFINES}")
  endif()
  if(ARG_LIBS)
    set_target_properties(${name} PROPERTIES INTERFACE_LINK_LIBRARIES "${ARG_LIBS}")
  endif()
endfunction()

smharden_mingw_header_library(nlohmann_json::nlohmann_json nlohmann)
smharden_mingw_header_library(fmt::fmt fmt DEFINES FMT_HEADER_ONLY)
# Debian's spdlog/tweakme.h already sets SPDLOG_FMT_EXTERNAL; saying it again is harmless.
smharden_mingw_header_library(spdlog::spdlog spdlog DEFINES SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL LIBS fmt::fmt)
smharden_mingw_header_library(CLI11::CLI11 CLI)
smharden_mingw_header_library(valijson::valijson valijson DEFINES VALIJSON_USE_EXCEPTIONS=1 LIBS nlohmann_json::nlohmann_json)
smharden_mingw_header_library(Boost::headers boost)
# Catch2 v2 is a single header: the Windows test programs run under Wine use it.
if(EXISTS "${SMHARDEN_MINGW_HEADER_ROOT}/catch2/catch.hpp")
  smharden_mingw_header_library(Catch2::Catch2 catch2)
endif()

find_package(Threads REQUIRED)

# Boost.DLL, header-only over std::filesystem (without the define it needs the
# compiled Boost.Filesystem library). Same name as the native build's target.
add_library(smharden_boost_dll INTERFACE)
target_link_libraries(smharden_boost_dll INTERFACE Boost::headers)
target_compile_definitions(smharden_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)
add_library(smharden::boost_dll ALIAS smharden_boost_dll)

# pugixml: static library built by scripts/mingw-deps from `apt-get source pugixml`.
find_library(SMHARDEN_MINGW_PUGIXML_LIB NAMES libpugixml.a
  PATHS "${SMHARDEN_MINGW_DEPS_DIR}/lib" NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT SMHARDEN_MINGW_PUGIXML_LIB OR NOT EXISTS "${SMHARDEN_MINGW_DEPS_DIR}/include/pugixml.hpp")
  unset(SMHARDEN_MINGW_PUGIXML_LIB CACHE)
  message(FATAL_ERROR "MinGW build: no Windows build of pugixml in ${SMHARDEN_MINGW_DEPS_DIR}.\n"
                      "Run scripts/mingw-deps first (it builds pugixml from Debian's source package), "
                      "or point -DSMHARDEN_MINGW_DEPS_DIR=<dir> at its output.")
endif()
add_library(pugixml::pugixml STATIC IMPORTED GLOBAL)
set_target_properties(pugixml::pugixml PROPERTIES
  IMPORTED_LOCATION "${SMHARDEN_MINGW_PUGIXML_LIB}"
  INTERFACE_INCLUDE_DIRECTORIES "${SMHARDEN_MINGW_DEPS_DIR}/include"
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${SMHARDEN_MINGW_DEPS_DIR}/include")

# Test programs that run under Wine (tests/wine/run-wine-tests). The Linux-only
# test suite (SMHARDEN_TESTS) is off in the mingw preset, so they are added here,
# after every other directory, because they link smharden_core.
option(SMHARDEN_WINE_TESTS "Build the Windows test programs run under Wine" ON)
if(SMHARDEN_WINE_TESTS AND NOT SMHARDEN_TESTS AND EXISTS "${PROJECT_SOURCE_DIR}/tests/wine/windows-programs.cmake")
  cmake_language(DEFER DIRECTORY "${PROJECT_SOURCE_DIR}" CALL
    include "${PROJECT_SOURCE_DIR}/tests/wine/windows-programs.cmake")
endif()
