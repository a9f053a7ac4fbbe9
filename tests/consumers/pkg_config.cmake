# ctest: compiles and runs consumer.cpp with only what `pkg-config --cflags --libs msgevents` says,
# against the install tree of install_tree.cmake:
#   cmake -DPKG_CONFIG=... -DPREFIX=... -DCXX=... -DSOURCE=... -DOUT=... -P pkg_config.cmake
include(GNUInstallDirs)
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs msgevents OUTPUT_VARIABLE flags
                RESULT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pkg-config does not know msgevents")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
execute_process(COMMAND ${CXX} -std=c++17 ${SOURCE} ${flags} -o ${OUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "compiling with pkg-config's flags (${flags}) failed")
endif()
execute_process(COMMAND ${OUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the consumer failed: ${status}")
endif()
