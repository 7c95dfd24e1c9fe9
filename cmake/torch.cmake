# The LibTorch model library, its tools and tests. Debian's libtorch-dev is CPU-only; point
# CMAKE_PREFIX_PATH at an upstream LibTorch (e.g. python -c "import torch;
# print(torch.utils.cmake_prefix_path)") to build with CUDA.
find_package(Torch REQUIRED)

# An upstream LibTorch (e.g. PyTorch's wheel) ships its own {fmt} headers in its include folder; they
# would shadow the system {fmt} that spdlog was built against. Put the system's first for the tools.
if(TARGET fmt::fmt)
  get_target_property(_drim_fmt_dir fmt::fmt INTERFACE_INCLUDE_DIRECTORIES)
  if(NOT _drim_fmt_dir)
    set(_drim_fmt_dir /usr/include)
  endif()
  foreach(_dir ${TORCH_INCLUDE_DIRS})
    if(EXISTS "${_dir}/fmt/core.h" AND NOT _dir STREQUAL _drim_fmt_dir AND EXISTS "${_drim_fmt_dir}/fmt/core.h")
      file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/system-fmt)
      file(CREATE_LINK "${_drim_fmt_dir}/fmt" "${PROJECT_BINARY_DIR}/system-fmt/fmt" SYMBOLIC)
      target_include_directories(drim_cli BEFORE PUBLIC $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/system-fmt>)
      message(STATUS "LibTorch's {fmt} in ${_dir} shadowed by the system's for spdlog")
      break()
    endif()
  endforeach()
endif()

add_library(drim_model
  src/model/allocator.cpp
  src/model/collectives.cpp
  src/model/deepdrim.cpp
  src/model/epoch_record.cpp
  src/model/preset.cpp
  src/model/lr_schedule.cpp
  src/model/archive_file.cpp
  src/model/model_file.cpp
  src/model/trainer.cpp
  src/model/plateau.cpp
  src/model/pretrain.cpp
  src/model/prior_calibration.cpp
  src/model/predictor.cpp
  src/model/frozen_tower.cpp
  src/model/edge_ranking.cpp
  src/model/fit.cpp
  src/model/cv_report.cpp
  src/model/cross_validation.cpp
  src/model/er_net.cpp
  src/model/impute_trainer.cpp
  src/model/tcer.cpp
)
add_library(drim::model ALIAS drim_model)
set_target_properties(drim_model PROPERTIES EXPORT_NAME model)
target_include_directories(drim_model PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
# libstdc++ ahead of LibTorch in the tools' library search order: PyTorch's wheels export copies of
# std::filesystem built into libtorch.so, some of which crash (pytorch/pytorch#133437); the system's win.
target_link_libraries(drim_model PUBLIC drim::core drim::impute stdc++ ${TORCH_LIBRARIES} nlohmann_json::nlohmann_json)
target_compile_options(drim_model PRIVATE -Wall -Wextra -Wno-unused-parameter)
target_precompile_headers(drim_model PRIVATE <torch/torch.h>)

add_library(drim_train_cli apps/train_args.cpp)
target_link_libraries(drim_train_cli PUBLIC drim_cli drim::model drim_gene_image_cli)
# drim_distributed is defined below; the link is resolved when the build files are generated.
target_link_libraries(drim_train_cli PUBLIC drim::distributed)
target_compile_options(drim_train_cli PRIVATE -Wall -Wextra)

drim_app(drim-train drim_train_cli)
drim_app(drim-predict drim::model drim_gene_image_cli)
drim_app(drim-cv drim_train_cli)
drim_app(drim-impute drim::model)
target_include_directories(drim-cv PRIVATE src)
foreach(app drim-train drim-predict drim-cv drim-impute)
  target_precompile_headers(${app} REUSE_FROM drim_model)
  target_compile_options(${app} PRIVATE -Wno-unused-parameter)
endforeach()

if(DRIM_BUILD_TESTS)
  find_package(GTest REQUIRED)
  add_executable(drim_model_tests tests/test_model.cpp tests/test_training_recipe.cpp tests/test_conditional_model.cpp tests/test_prior_model.cpp tests/test_er_net.cpp
    tests/test_frozen_tower.cpp tests/test_fusion_model.cpp tests/test_late_fusion.cpp tests/test_pretrain.cpp)
  target_link_libraries(drim_model_tests PRIVATE drim::model GTest::gtest_main)
  target_include_directories(drim_model_tests PRIVATE tests)
  target_compile_options(drim_model_tests PRIVATE -Wno-unused-parameter)
  target_precompile_headers(drim_model_tests REUSE_FROM drim_model)
  set_target_properties(drim_model_tests PROPERTIES POSITION_INDEPENDENT_CODE OFF)
  target_compile_options(drim_model_tests PRIVATE -fPIC)
  include(GoogleTest)
  gtest_discover_tests(drim_model_tests DISCOVERY_TIMEOUT 120 PROPERTIES TIMEOUT 300)
endif()

# ---- data-parallel training over PyTorch's c10d (Gloo): needs Gloo's headers (libgloo-dev) ----
find_path(DRIM_GLOO_INCLUDE gloo/algorithm.h HINTS ${TORCH_INCLUDE_DIRS})
if(DRIM_GLOO_INCLUDE)
  add_library(drim_distributed src/distributed/dist_options.cpp src/distributed/gloo_collectives.cpp)
  target_include_directories(drim_distributed PRIVATE ${DRIM_GLOO_INCLUDE})
else()
  message(WARNING "Gloo's headers (gloo/algorithm.h) not found: drim-train and drim-cv will refuse data-parallel runs "
                  "(install libgloo-dev, scripts/setup.sh)")
  add_library(drim_distributed src/distributed/dist_options.cpp src/distributed/gloo_unavailable.cpp)
endif()
add_library(drim::distributed ALIAS drim_distributed)
set_target_properties(drim_distributed PROPERTIES EXPORT_NAME distributed)
target_link_libraries(drim_distributed PUBLIC drim::model)
target_compile_options(drim_distributed PRIVATE -Wall -Wextra -Wno-unused-parameter)

if(DRIM_BUILD_TESTS)
  add_executable(model_diff tests/model_diff.cpp)
  target_link_libraries(model_diff PRIVATE drim::model)
  target_compile_options(model_diff PRIVATE -Wno-unused-parameter)
endif()
if(DRIM_BUILD_TESTS AND DRIM_GLOO_INCLUDE)
  add_executable(drim_distributed_tests tests/test_distributed.cpp)
  target_link_libraries(drim_distributed_tests PRIVATE drim::distributed GTest::gtest_main)
  target_compile_options(drim_distributed_tests PRIVATE -Wno-unused-parameter)
  gtest_discover_tests(drim_distributed_tests DISCOVERY_TIMEOUT 120 PROPERTIES TIMEOUT 120)
  add_test(NAME cli.distributed COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli_distributed.sh $<TARGET_FILE_DIR:drim-train>
           ${PROJECT_SOURCE_DIR}/data/demo $<TARGET_FILE:model_diff>)
  set_tests_properties(cli.distributed PROPERTIES TIMEOUT 1800)
endif()
