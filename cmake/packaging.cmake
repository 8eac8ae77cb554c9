# Packages, built with CPack from a build tree:
#   MinGW build:  cpack -G ZIP  ->  smharden-<version>-win64.zip (smharden.exe,
#                 plugins\*.dll, profiles\, doc\ with the licences of what the
#                 binaries contain; static linking, so no runtime DLLs)
#   Linux build:  cpack -G DEB  ->  smharden_<version>_amd64.deb (for Linux
#                 machines that audit offline copies)
# Only the "runtime" component is packaged; the SDK installs on its own
# (cmake --install <build> --component sdk).

# The licences of the third-party code compiled into the binaries: the
# Debian copyright file of the package that provides each library. Header-only
# libraries are compiled in everywhere; on Windows fmt, spdlog, pugixml, the
# MinGW-w64 CRT, winpthreads and the GCC runtime are linked statically too.
# (On Linux, fmt, spdlog, pugixml, libcurl and OpenSSL are shared libraries
# from Debian packages the .deb depends on.)
set(smharden_bundled
  "nlohmann-json|/usr/include/nlohmann/json.hpp"
  "CLI11|/usr/include/CLI/CLI.hpp"
  "valijson|/usr/include/valijson/validator.hpp"
  "boost|/usr/include/boost/version.hpp")
if(WIN32)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.a
                  OUTPUT_VARIABLE smharden_libstdcxx OUTPUT_STRIP_TRAILING_WHITESPACE)
  list(APPEND smharden_bundled
    "fmt|/usr/include/fmt/format.h"
    "spdlog|/usr/include/spdlog/spdlog.h"
    "pugixml|/usr/include/pugixml.hpp"
    "mingw-w64-crt-and-winpthreads|/usr/${SMHARDEN_MINGW_TRIPLE}/lib/libwinpthread.a"
    "gcc-runtime-libstdc++-libgcc|${smharden_libstdcxx}")
endif()
set(SMHARDEN_INSTALL_LICENSEDIR ${SMHARDEN_INSTALL_DOCDIR}/licenses)
foreach(entry IN LISTS smharden_bundled)
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 name)
  list(GET entry 1 probe)
  set(copyright "")
  if(EXISTS "${probe}")
    file(REAL_PATH "${probe}" probe)
    execute_process(COMMAND dpkg-query -S "${probe}" OUTPUT_VARIABLE owner ERROR_QUIET RESULT_VARIABLE rc)
    if(rc EQUAL 0)
      string(REGEX REPLACE "^([^:,]+).*" "\\1" package "${owner}")
      if(EXISTS "/usr/share/doc/${package}/copyright")
        set(copyright "/usr/share/doc/${package}/copyright")
      endif()
    endif()
  endif()
  if(copyright)
    install(FILES "${copyright}" DESTINATION ${SMHARDEN_INSTALL_LICENSEDIR} RENAME "${name}.txt" COMPONENT runtime)
  else()
    # Fail closed: a package must not ship code without its licence.
    install(CODE "message(FATAL_ERROR \"no licence text for ${name}: the Debian package owning ${probe} \"
                  \"has no /usr/share/doc/<package>/copyright\")" COMPONENT runtime)
  endif()
endforeach()

set(CPACK_PACKAGE_NAME smharden)
set(CPACK_PACKAGE_VENDOR "smharden")
set(CPACK_PACKAGE_CONTACT "smharden maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Install only the runtime component into the package (the SDK has its own install).
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};runtime;/")
set(CPACK_STRIP_FILES ON)
if(WIN32)
  set(CPACK_GENERATOR ZIP)
  set(CPACK_SYSTEM_NAME win64)
  set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
  set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
else()
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_DEB_COMPONENT_INSTALL OFF)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION admin)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the shared libraries linked (dpkg-shlibdeps)
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
      "Checks and applies a hardening profile to SmarterMail mail servers on Windows; on Linux it audits offline\n copies (labs) of a server's configuration.")
endif()
include(CPack)
