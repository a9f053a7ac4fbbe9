# ctest: `cmake --install` of this build tree into PREFIX, then what a consumer relies on:
#   cmake -DBUILD_DIR=... -DPREFIX=... -DCONFIG=... -P install_tree.cmake
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --config ${CONFIG}
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${status}")
endif()

include(GNUInstallDirs)
foreach(file ${CMAKE_INSTALL_INCLUDEDIR}/msgevents/events.hpp ${CMAKE_INSTALL_INCLUDEDIR}/msgevents/validator.hpp
             ${CMAKE_INSTALL_LIBDIR}/libmsgevents.a ${CMAKE_INSTALL_LIBDIR}/cmake/msgevents/msgevents-config.cmake
             ${CMAKE_INSTALL_LIBDIR}/cmake/msgevents/msgevents-config-version.cmake
             ${CMAKE_INSTALL_LIBDIR}/pkgconfig/msgevents.pc)
  if(NOT EXISTS ${PREFIX}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()

# RapidJSON stays private: no installed header includes it, so consumers need none of its headers.
file(GLOB_RECURSE headers ${PREFIX}/${CMAKE_INSTALL_INCLUDEDIR}/*)
foreach(header ${headers})
  file(STRINGS ${header} includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line ${includes})
    if(line MATCHES "rapidjson")
      message(FATAL_ERROR "${header} includes RapidJSON: ${line}")
    endif()
    # A public header includes only the standard library and the other public headers.
    if(line MATCHES "\"" AND NOT line MATCHES "\"msgevents/[a-z_]+\\.hpp\"")
      message(FATAL_ERROR "${header} includes a private header: ${line}")
    endif()
  endforeach()
endforeach()

# Nothing of the build leaks into the package: no SIMD flags, no sanitizers, no build-tree paths.
file(GLOB package_files ${PREFIX}/${CMAKE_INSTALL_LIBDIR}/cmake/msgevents/*.cmake ${PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/*.pc)
foreach(file ${package_files})
  file(READ ${file} text)
  foreach(leak -msse -msimd128 RAPIDJSON rapidjson -fsanitize ${BUILD_DIR})
    string(FIND "${text}" "${leak}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} mentions ${leak}")
    endif()
  endforeach()
endforeach()
message(STATUS "installed into ${PREFIX}: ${CMAKE_INSTALL_LIBDIR}/libmsgevents.a, ${CMAKE_INSTALL_INCLUDEDIR}/msgevents (${headers})")
