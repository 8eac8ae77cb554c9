# The Windows programs run under Wine by run-wine-tests: dummy_service.exe
# and test_win32_wine.exe (the Win32 backend and the IIS COM path against the
# real API). Included
# at the end of the top-level directory by cmake/mingw-deps.cmake (MinGW
# build only), so paths are spelled from this file's folder.
add_executable(dummy_service ${CMAKE_CURRENT_LIST_DIR}/dummy_service.cpp)
target_link_libraries(dummy_service PRIVATE advapi32 smharden::warnings)

add_executable(test_win32_wine ${CMAKE_CURRENT_LIST_DIR}/win32_backend_wine_test.cpp
                               ${CMAKE_CURRENT_LIST_DIR}/iis_com_wine_test.cpp
                               ${PROJECT_SOURCE_DIR}/tests/test_main.cpp)
target_link_libraries(test_win32_wine PRIVATE smharden_core Catch2::Catch2 smharden::warnings)
# test_main.cpp defines CATCH_CONFIG_MAIN before it includes Catch2: in a unity
# batch Catch2 would already be included without it, and there would be no main().
set_source_files_properties(${PROJECT_SOURCE_DIR}/tests/test_main.cpp PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
# With _UNICODE, Catch2 would define wmain (needs -municode); keep main().
target_compile_definitions(test_win32_wine PRIVATE DO_NOT_USE_WMAIN)
set_target_properties(dummy_service test_win32_wine PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/wine)

# The supervisor's misbehaving test plugin as a DLL: run-wine-tests (f) makes a
# smharden.exe apply hang in it, then kills the worker (step timeout, SIGKILL of
# its process, Ctrl-C twice).
smharden_add_plugin(smharden_wine_plugin_supervisor_misbehave ID supervisor-misbehave
  MANIFEST ${PROJECT_SOURCE_DIR}/tests/supervisor/misbehave_plugin/manifest.json
  SOURCES ${PROJECT_SOURCE_DIR}/tests/supervisor/misbehave_plugin/misbehave_plugin.cpp
  OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/wine/plugins)
target_link_libraries(smharden_wine_plugin_supervisor_misbehave PRIVATE smharden::warnings nlohmann_json::nlohmann_json)
set_target_properties(smharden_wine_plugin_supervisor_misbehave PROPERTIES RUNTIME_OUTPUT_DIRECTORY
  ${CMAKE_BINARY_DIR}/tests/wine/plugins)
