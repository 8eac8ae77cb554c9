# Where `cmake --install` puts each part. Linux: the GNUInstallDirs layout
# (bin/smharden, lib/smharden/plugins/, share/smharden/profiles/,
# share/doc/smharden/). Windows: one folder (smharden.exe, plugins\,
# profiles\, doc\), as unpacked from the ZIP. The host finds its plugins and
# profiles relative to its own location (core/runtime/install_layout.cpp), so
# the paths between them are compiled in; the prefix can move.
include(GNUInstallDirs)

if(WIN32)
  set(SMHARDEN_INSTALL_BINDIR .)
  set(SMHARDEN_INSTALL_PLUGINDIR plugins)
  set(SMHARDEN_INSTALL_PROFILEDIR profiles)
  set(SMHARDEN_INSTALL_DOCDIR doc)
else()
  set(SMHARDEN_INSTALL_BINDIR ${CMAKE_INSTALL_BINDIR})
  set(SMHARDEN_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/smharden/plugins)
  set(SMHARDEN_INSTALL_PROFILEDIR ${CMAKE_INSTALL_DATADIR}/smharden/profiles)
  set(SMHARDEN_INSTALL_DOCDIR ${CMAKE_INSTALL_DOCDIR})
endif()
foreach(dir BINDIR PLUGINDIR PROFILEDIR DOCDIR)
  if(IS_ABSOLUTE "${SMHARDEN_INSTALL_${dir}}")
    message(FATAL_ERROR "smharden installs relative to its prefix: ${SMHARDEN_INSTALL_${dir}} is absolute "
                        "(set the CMAKE_INSTALL_*DIR variables to paths under the prefix)")
  endif()
endforeach()
file(RELATIVE_PATH SMHARDEN_PLUGIN_DIR_FROM_BIN "/prefix/${SMHARDEN_INSTALL_BINDIR}" "/prefix/${SMHARDEN_INSTALL_PLUGINDIR}")
file(RELATIVE_PATH SMHARDEN_PROFILE_DIR_FROM_BIN "/prefix/${SMHARDEN_INSTALL_BINDIR}" "/prefix/${SMHARDEN_INSTALL_PROFILEDIR}")

# Installed folders are writable by their owner only: plugin trust
# (core/registry/path_trust.hpp) refuses modules under group-writable folders,
# whatever the umask of the user who installs.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The build tree runs like an install: plugins in bin/plugins (the first
# place the host looks) and the shipped profiles where an installed host
# finds them, relative to bin/.
file(MAKE_DIRECTORY "${SMHARDEN_BIN_DIR}")
get_filename_component(smharden_build_profiles "${SMHARDEN_BIN_DIR}/${SMHARDEN_PROFILE_DIR_FROM_BIN}" ABSOLUTE)
get_filename_component(smharden_build_profiles_parent "${smharden_build_profiles}" DIRECTORY)
file(MAKE_DIRECTORY "${smharden_build_profiles_parent}")
file(CREATE_LINK "${PROJECT_SOURCE_DIR}/profiles" "${smharden_build_profiles}" SYMBOLIC)

# What the product installs (component "runtime"; the SDK is component "sdk").
install(DIRECTORY profiles/ DESTINATION ${SMHARDEN_INSTALL_PROFILEDIR} COMPONENT runtime)
install(FILES README.md DESTINATION ${SMHARDEN_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY docs/ DESTINATION ${SMHARDEN_INSTALL_DOCDIR} COMPONENT runtime)
