# Script for the install_prefix test (cmake -P): `cmake --install` into a
# fresh prefix, then the installed host, run from an unrelated folder, finds
# its plugins and shipped profiles relative to itself; also after the prefix
# is moved. Last, examples/hello-plugin is built against the SDK of that
# prefix and the installed host loads it.
cmake_policy(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/elsewhere")
set(prefix "${WORK_DIR}/prefix")
set(ENV{SMHARDEN_STATE_DIR} "${WORK_DIR}/state")
unset(ENV{SMHARDEN_PLUGIN_PATH})

# run(<expected exit codes> <command>...): runs in WORK_DIR/elsewhere; sets last_out and last_rc.
function(run codes)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}/elsewhere"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc IN_LIST codes)
    message(FATAL_ERROR "exit ${rc} (expected one of ${codes}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()
function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "the install has no ${path}")
  endif()
endfunction()

# With a umask that lets the group write: the install still makes folders
# only their owner can write, or plugin trust would refuse every plugin.
run(0 sh -c "umask 002 && exec \"$0\" --install \"$1\" --prefix \"$2\"" "${CMAKE_COMMAND}" "${BUILD_DIR}" "${prefix}")

# The GNUInstallDirs layout; every plugin module of the build tree is installed.
set(exe "${prefix}/bin/smharden")
expect_file("${exe}")
expect_file("${prefix}/share/smharden/profiles/baseline.json")
expect_file("${prefix}/share/smharden/profiles/schema/profile.schema.json")
expect_file("${prefix}/share/doc/smharden/README.md")
expect_file("${prefix}/share/doc/smharden/user-guide.md")
expect_file("${prefix}/include/smharden/plugin_abi.h")
file(GLOB built_plugins RELATIVE "${BUILD_DIR}/bin/plugins" "${BUILD_DIR}/bin/plugins/smh-*.so")
file(GLOB installed_plugins RELATIVE "${prefix}/lib/smharden/plugins" "${prefix}/lib/smharden/plugins/smh-*.so")
list(LENGTH built_plugins plugin_count)
if(plugin_count EQUAL 0 OR NOT built_plugins STREQUAL installed_plugins)
  message(FATAL_ERROR "installed plugins (${installed_plugins}) differ from the built ones (${built_plugins})")
endif()

# list: every plugin, loaded from the prefix (not the build tree), none refused.
function(check_list exe plugin_dir)
  run(0 "${exe}" list --format json)
  string(JSON loaded LENGTH "${last_out}" plugins)
  string(JSON refused LENGTH "${last_out}" refused)
  if(NOT loaded EQUAL plugin_count OR NOT refused EQUAL 0)
    message(FATAL_ERROR "${exe} list: ${loaded} plugins loaded, ${refused} refused; expected ${plugin_count}, 0:\n${last_out}")
  endif()
  math(EXPR last "${loaded} - 1")
  foreach(i RANGE ${last})
    string(JSON file GET "${last_out}" plugins ${i} file)
    cmake_path(GET file PARENT_PATH folder)
    if(NOT folder STREQUAL plugin_dir)
      message(FATAL_ERROR "${exe} list loaded ${file}, not from ${plugin_dir}")
    endif()
  endforeach()
endfunction()
check_list("${exe}" "${prefix}/lib/smharden/plugins")

# validate and check with a shipped profile given by name, against a lab.
run(0 "${exe}" validate baseline)
if(NOT last_out MATCHES "valid")
  message(FATAL_ERROR "validate baseline did not say valid:\n${last_out}")
endif()
run(0 "${exe}" lab init "${WORK_DIR}/lab")
run("0;3" "${exe}" check --profile strict --target "lab:${WORK_DIR}/lab" --format json)
string(JSON steps LENGTH "${last_out}" steps)
if(steps LESS 5)
  message(FATAL_ERROR "check --profile strict ran ${steps} steps:\n${last_out}")
endif()
# A name that is not shipped: exit 2, naming the folder looked in and the names there.
run(2 "${exe}" validate no-such-profile)
if(NOT last_err MATCHES "share/smharden/profiles/no-such-profile.json" OR NOT last_err MATCHES "baseline, customer-example, strict")
  message(FATAL_ERROR "validate no-such-profile did not say where it looked:\n${last_err}")
endif()

# The prefix moved elsewhere still finds its plugins and profiles.
file(RENAME "${prefix}" "${WORK_DIR}/moved")
check_list("${WORK_DIR}/moved/bin/smharden" "${WORK_DIR}/moved/lib/smharden/plugins")
run(0 "${WORK_DIR}/moved/bin/smharden" validate strict)
file(RENAME "${WORK_DIR}/moved" "${prefix}")

# A third-party plugin built against the SDK of the same prefix runs in the installed host.
run(0 ${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/hello-plugin" -B "${WORK_DIR}/hello" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run(0 ${CMAKE_COMMAND} --build "${WORK_DIR}/hello")
file(WRITE "${WORK_DIR}/hello.json" [=[{"name": "hello", "steps": {"hello": {"params": {"expected_target": "lab"}}}}]=])
run(0 "${exe}" --plugin-dir "${WORK_DIR}/hello" check --profile "${WORK_DIR}/hello.json"
    --target "lab:${WORK_DIR}/lab" --only hello --format json)
if(NOT last_out MATCHES "\"status\": \"compliant\"")
  message(FATAL_ERROR "the hello step is not compliant on a lab:\n${last_out}")
endif()
message(STATUS "the installed host ran list, validate and check from ${prefix}")
