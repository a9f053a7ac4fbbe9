# `cmake --install`: the library as another CMake (or pkg-config) project uses it.
#
#   <prefix>/include/msgevents/*.hpp               public headers, the generated events.hpp among them
#   <prefix>/lib/libmsgevents.a                    the static library (RapidJSON compiled in, privately)
#   <prefix>/lib/cmake/msgevents/                  find_package(msgevents CONFIG) -> msgevents::core
#   <prefix>/lib/pkgconfig/msgevents.pc            pkg-config --cflags --libs msgevents
#   <prefix>/bin/msgevents                         the CLI, when built
include(CMakePackageConfigHelpers)

set(MSGEVENTS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/msgevents)

install(TARGETS msgevents_core EXPORT msgevents-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/include/msgevents ${MSGEVENTS_GENERATED_INCLUDE}/msgevents
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
if(TARGET msgevents_cli)
  install(TARGETS msgevents_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT msgevents-targets NAMESPACE msgevents:: FILE msgevents-targets.cmake
        DESTINATION ${MSGEVENTS_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/msgevents-config.cmake.in
  ${PROJECT_BINARY_DIR}/msgevents-config.cmake INSTALL_DESTINATION ${MSGEVENTS_INSTALL_CMAKEDIR})
# 1.x is compatible with 1.y for y >= x: the catalog's change policy keeps a major version's
# events readable.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/msgevents-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/msgevents-config.cmake ${PROJECT_BINARY_DIR}/msgevents-config-version.cmake
        DESTINATION ${MSGEVENTS_INSTALL_CMAKEDIR})

# pkg-config paths relative to the .pc file's own place (${pcfiledir}), so the tree can be moved.
file(RELATIVE_PATH MSGEVENTS_PC_PREFIX_FROM_PCDIR /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" MSGEVENTS_PC_PREFIX_FROM_PCDIR "${MSGEVENTS_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/msgevents.pc.in ${PROJECT_BINARY_DIR}/msgevents.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/msgevents.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
