# smharden_add_plugin(<target> ID <plugin-id> MANIFEST <manifest.json> SOURCES <src>...
#                     [OUTPUT_DIRECTORY <dir>])
#
# Builds a loadable plugin module named `smh-<plugin-id>` (.so / .dll) with
# hidden visibility, and generates `smharden_manifest.hpp`, which defines
# `smharden_manifest_json` (the manifest text) for SMHARDEN_PLUGIN().
function(smharden_add_plugin target)
  cmake_parse_arguments(ARG "" "ID;MANIFEST;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_ID OR NOT ARG_MANIFEST OR NOT ARG_SOURCES)
    message(FATAL_ERROR "smharden_add_plugin(${target}): ID, MANIFEST and SOURCES are required")
  endif()
  get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE)
  file(READ "${manifest}" manifest_text)
  if(manifest_text MATCHES "\\)smh_manifest\"")
    message(FATAL_ERROR "${manifest}: the text ')smh_manifest\"' cannot appear in a manifest")
  endif()
  set(gen_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_generated")
  set(header "// Generated from ${manifest} by smharden_add_plugin(); do not edit.\n")
  string(APPEND header "#pragma once\n")
  string(APPEND header "static const char smharden_manifest_json[] = R\"smh_manifest(${manifest_text})smh_manifest\";\n")
  file(WRITE "${gen_dir}/smharden_manifest.hpp.tmp" "${header}")
  configure_file("${gen_dir}/smharden_manifest.hpp.tmp" "${gen_dir}/smharden_manifest.hpp" COPYONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${manifest}")

  add_library(${target} MODULE ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE "${gen_dir}")
  target_link_libraries(${target} PRIVATE smharden::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "smh-${ARG_ID}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
endfunction()
