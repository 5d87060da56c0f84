# Warnings and sanitizers for every pesim target, through one interface library.
add_library(pesim_options INTERFACE)
target_compile_options(pesim_options INTERFACE -Wall -Wextra -Wshadow -Wno-missing-field-initializers)
target_include_directories(pesim_options INTERFACE ${PROJECT_SOURCE_DIR})
if(PESIM_SANITIZE)
  # A target with PESIM_NO_ALIGNMENT_SANITIZER set keeps UBSan but not its alignment check (placed after
  # -fsanitize so that it wins; see rtl/CMakeLists.txt).
  target_compile_options(pesim_options INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=undefined
                                                 -fno-omit-frame-pointer
                         $<$<BOOL:$<TARGET_PROPERTY:PESIM_NO_ALIGNMENT_SANITIZER>>:-fno-sanitize=alignment>)
  target_link_options(pesim_options INTERFACE -fsanitize=address,undefined)
endif()
