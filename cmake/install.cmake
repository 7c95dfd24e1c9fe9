# `cmake --install build [--prefix DIR]`: the tools, the libraries, their headers and a package
# config, so that another CMake project can use `find_package(drim)` and link drim::core, drim::impute, drim::spatial,
# drim::network and (when built) drim::model.
include(CMakePackageConfigHelpers)

set(DRIM_INSTALL_TOOLS drim-images drim-convert drim-simulate drim-merge drim-maps)
set(DRIM_INSTALL_LIBS drim_core drim_impute drim_spatial)
if(DRIM_WITH_NETWORK)
  list(APPEND DRIM_INSTALL_TOOLS drim-network)
  list(APPEND DRIM_INSTALL_LIBS drim_network)
endif()
if(DRIM_WITH_TORCH)
  list(APPEND DRIM_INSTALL_TOOLS drim-train drim-predict drim-cv drim-impute)
  list(APPEND DRIM_INSTALL_LIBS drim_model)
endif()

install(TARGETS ${DRIM_INSTALL_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${DRIM_INSTALL_LIBS} EXPORT drimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/drim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/generated/drim/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/drim)

set(DRIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/drim)
install(EXPORT drimTargets NAMESPACE drim:: DESTINATION ${DRIM_CMAKE_DIR})
set(DRIM_CONFIG_WITH_TORCH ${DRIM_WITH_TORCH})
set(DRIM_CONFIG_WITH_NETWORK ${DRIM_WITH_NETWORK})
configure_package_config_file(cmake/drimConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/drimConfig.cmake
  INSTALL_DESTINATION ${DRIM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/drimConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/drimConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/drimConfigVersion.cmake
  DESTINATION ${DRIM_CMAKE_DIR})
