# Warnings and sanitizers for every pesim target, through one interface library.
add_library(pesim_options INTERFACE)
target_compile_options(pesim_options INTERFACE -Wall -Wextra -Wshadow -Wno-missing-field-initializers)
target_include_directories(pesim_options INTERFACE ${PROJECT_SOURCE_DIR})
if(PESIM_SANITIZE)
  # A target with PESIM_NO_SANITIZER set is built without instrumentation (Verilator's generated models: not ours, and
  # ASan makes their large generated functions compile about 1.7x slower, the bulk of a sanitizer build); a source of
  # such a target that is pesim's own takes PESIM_SANITIZER_FLAGS back (rtl/CMakeLists.txt). Linking always adds the
  # runtimes.
  # -O1 -g1 (after the build type's flags, so they win): AddressSanitizer's recommended optimization level, and line
  # tables for its stack traces without full debug information, which would cost a third of the build's time.
  set(PESIM_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1
                            -g1)
  target_compile_options(pesim_options INTERFACE
                         "$<$<NOT:$<BOOL:$<TARGET_PROPERTY:PESIM_NO_SANITIZER>>>:${PESIM_SANITIZER_FLAGS}>")
  target_link_options(pesim_options INTERFACE -fsanitize=address,undefined)
endif()
if(PESIM_FUZZ)
  # Coverage feedback for libFuzzer in every pesim library; the fuzz targets link libFuzzer itself (tests/fuzz).
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PESIM_FUZZ needs clang (libFuzzer): configure with CXX=clang++, as scripts/fuzz.sh does")
  endif()
  target_compile_options(pesim_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
