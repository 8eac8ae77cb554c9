# Every dependency is a Debian 12 package (see README, "Dependencies").
# The MinGW build (WIN32) uses the header-only trees of the same packages
# through cmake/mingw-deps.cmake; native builds use the packages' CMake configs.
if(WIN32)
  include(${CMAKE_CURRENT_LIST_DIR}/mingw-deps.cmake)
  return()
endif()

find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(pugixml 1.13 REQUIRED)
find_package(valijson REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Boost.DLL, header-only over std::filesystem. The define changes signatures,
# so it is set on the target for every translation unit, never per file.
add_library(smharden_boost_dll INTERFACE)
target_link_libraries(smharden_boost_dll INTERFACE Boost::headers ${CMAKE_DL_LIBS})
target_compile_definitions(smharden_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)
add_library(smharden::boost_dll ALIAS smharden_boost_dll)

# Debian's valijson target is plain `valijson` and carries
# VALIJSON_USE_EXCEPTIONS=1 (without it a bad schema aborts the process).
if(NOT TARGET valijson::valijson)
  add_library(valijson::valijson INTERFACE IMPORTED)
  set_target_properties(valijson::valijson PROPERTIES INTERFACE_LINK_LIBRARIES valijson)
endif()

if(SMHARDEN_TESTS)
  find_package(Catch2 2.13 REQUIRED)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
endif()
