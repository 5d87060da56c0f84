# Records pesim's version and the git commit it was built from, so every result can name both.
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                OUTPUT_VARIABLE PESIM_GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT PESIM_GIT_DESCRIBE)
  set(PESIM_GIT_DESCRIBE "unknown")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.h.in ${PROJECT_BINARY_DIR}/generated/pesim/version.h @ONLY)
add_library(pesim_version INTERFACE)
target_include_directories(pesim_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
