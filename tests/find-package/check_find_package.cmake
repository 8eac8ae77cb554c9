# Script for the find_package_hello_plugin test (cmake -P).
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(state "${WORK_DIR}/state")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

# 1. Install only the SDK component into a fresh prefix.
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --component sdk --prefix "${prefix}")
if(NOT EXISTS "${prefix}/include/smharden/plugin_abi.h")
  message(FATAL_ERROR "the SDK install did not put plugin_abi.h under ${prefix}/include")
endif()

# 2. Configure and build the example as a separate project against it.
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/hello-plugin" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")

# 3. The host loads it and runs it against a lab.
set(ENV{SMHARDEN_STATE_DIR} "${state}")
run("${SMHARDEN_EXE}" --plugin-dir "${WORK_DIR}/build" describe hello)
if(NOT last_out MATCHES "hello 1.0.0")
  message(FATAL_ERROR "smharden describe hello did not describe the plugin:\n${last_out}")
endif()
run("${SMHARDEN_EXE}" lab init "${WORK_DIR}/lab")
file(WRITE "${WORK_DIR}/profile.json" [=[{"name": "hello", "steps": {"hello": {"params": {"expected_target": "lab"}}}}]=])
run("${SMHARDEN_EXE}" --plugin-dir "${WORK_DIR}/build" check --profile "${WORK_DIR}/profile.json"
    --target "lab:${WORK_DIR}/lab" --only hello --format json)
if(NOT last_out MATCHES "\"status\": \"compliant\"")
  message(FATAL_ERROR "the hello step is not compliant on a lab:\n${last_out}")
endif()
message(STATUS "hello-plugin built against the installed SDK and ran in the host")
