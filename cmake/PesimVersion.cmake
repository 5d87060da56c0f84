# Records pesim's version, the git commit it was built from and its source tree, so every result can name them.
# The values live in one generated source file behind a fixed header: a new commit or another clone recompiles that
# one file, and every file that prints the version stays a ccache hit.
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                OUTPUT_VARIABLE PESIM_GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT PESIM_GIT_DESCRIBE)
  set(PESIM_GIT_DESCRIBE "unknown")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.h.in ${PROJECT_BINARY_DIR}/generated/pesim/version.h @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.cpp.in ${PROJECT_BINARY_DIR}/generated/pesim/version.cpp @ONLY)
add_library(pesim_version STATIC ${PROJECT_BINARY_DIR}/generated/pesim/version.cpp)
target_include_directories(pesim_version PUBLIC ${PROJECT_BINARY_DIR}/generated)
