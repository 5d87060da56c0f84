# Warnings and sanitizers for every pesim target, through one interface library.
add_library(pesim_options INTERFACE)
target_compile_options(pesim_options INTERFACE -Wall -Wextra -Wshadow -Wno-missing-field-initializers)
target_include_directories(pesim_options INTERFACE ${PROJECT_SOURCE_DIR})
if(PESIM_SANITIZE)
  # A target with PESIM_NO_SANITIZER set is built without instrumentation (Verilator's generated models: not ours, and
  # ASan makes their large generated functions compile about 1.7x slower, the bulk of a sanitizer build); the code
  # that drives them stays instrumented. Linking always adds the runtimes.
  set(sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(pesim_options INTERFACE
                         "$<$<NOT:$<BOOL:$<TARGET_PROPERTY:PESIM_NO_SANITIZER>>>:${sanitizer_flags}>")
  target_link_options(pesim_options INTERFACE -fsanitize=address,undefined)
endif()
