# Verilated models, built the way large Verilator users build them, into one uninstrumented static library,
# pesim_rtl_models:
# - Verilator runs at build time (a custom command per model), so `cmake --build -j` runs models in parallel with
#   everything else, and configuring a tree is quick.
# - Each model compiles as two unity files (PesimVerilatedUnity.cmake): the per-cycle code ("fast") at the model's
#   OPT_FAST flags, the construction and trace-declaration code ("__Slow") at OPT_SLOW, -O0 by default.
# - Verilator's runtime (verilated.cpp, the VCD writer, the thread pool) compiles once for all models.
# A build with PESIM_VERILATED_MODELS_FROM=DIR verilates and compiles nothing: it links the models that the build tree
# DIR made from the same sources (the sanitizer build reuses the Release build's; the models are not instrumented in
# either). rtl/CMakeLists.txt declares the models; their table (the registries) is pesim's own code, in pesim_rtl.

set(PESIM_VERILATED_MODELS_FROM "" CACHE PATH
    "A built pesim tree of the same sources whose Verilated models this tree links instead of building its own")
set(PESIM_VERILATED_DIR ${PROJECT_BINARY_DIR}/verilated)
set(PESIM_VERILATED_DEFINITIONS VM_COVERAGE=0 VM_SC=0 VM_TRACE=1 VM_TRACE_VCD=1 VM_TRACE_FST=0)
set(PESIM_VERILATED_RUNTIME ${VERILATOR_ROOT}/include/verilated.cpp ${VERILATOR_ROOT}/include/verilated_vcd_c.cpp
                            ${VERILATOR_ROOT}/include/verilated_threads.cpp)
set(PESIM_VERILATED_MANIFEST_TEXT "")

if(PESIM_VERILATED_MODELS_FROM)
  get_filename_component(PESIM_VERILATED_MODELS_FROM "${PESIM_VERILATED_MODELS_FROM}" ABSOLUTE)
  set(pesim_models_library ${PESIM_VERILATED_MODELS_FROM}/rtl/libpesim_rtl_models.a)
  if(NOT EXISTS ${pesim_models_library})
    message(FATAL_ERROR "PESIM_VERILATED_MODELS_FROM=${PESIM_VERILATED_MODELS_FROM}: no ${pesim_models_library}; "
                        "build that tree first (cmake --build ${PESIM_VERILATED_MODELS_FROM} --target pesim_rtl_models)")
  endif()
  add_library(pesim_rtl_models STATIC IMPORTED GLOBAL)
  set_target_properties(pesim_rtl_models PROPERTIES IMPORTED_LOCATION ${pesim_models_library})
  set(PESIM_VERILATED_DIR ${PESIM_VERILATED_MODELS_FROM}/verilated)
else()
  add_library(pesim_rtl_models STATIC ${PESIM_VERILATED_RUNTIME})
  set_target_properties(pesim_rtl_models PROPERTIES ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/rtl)
  target_link_libraries(pesim_rtl_models PRIVATE pesim_options)
  # Verilated code is not ours: no project warnings beyond what Verilator's own output passes, no debug information,
  # and no sanitizer instrumentation (cmake/PesimOptions.cmake).
  target_compile_options(pesim_rtl_models PRIVATE -Wno-shadow -Wno-unused-parameter -Wno-unused-variable -g0)
  set_target_properties(pesim_rtl_models PROPERTIES PESIM_NO_SANITIZER ON)
  target_compile_definitions(pesim_rtl_models PRIVATE ${PESIM_VERILATED_DEFINITIONS})
  target_include_directories(pesim_rtl_models PRIVATE ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
endif()
# The list of models and the Verilator command of each: a tree that links another's models checks it is identical.
set(PESIM_VERILATED_MANIFEST ${PESIM_VERILATED_DIR}/models.txt)
set_property(TARGET pesim_rtl_models APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS ${PESIM_VERILATED_DEFINITIONS})
set_property(TARGET pesim_rtl_models APPEND PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${VERILATOR_ROOT}/include
                                                                                     ${VERILATOR_ROOT}/include/vltstd)
set_property(TARGET pesim_rtl_models APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${VERILATOR_MT_CFLAGS})

# pesim_verilate(PREFIX Vname TOP module SOURCES file.v... [VERILATOR_ARGS arg...] [OPT_FAST flag...]
#                [OPT_SLOW flag...])
# Adds the model Vname (Verilog top `module`) to pesim_rtl_models and its header directory to the library's interface.
function(pesim_verilate)
  cmake_parse_arguments(PARSE_ARGV 0 model "" "PREFIX;TOP" "SOURCES;VERILATOR_ARGS;OPT_FAST;OPT_SLOW")
  set(dir ${PESIM_VERILATED_DIR}/${model_PREFIX})
  set_property(TARGET pesim_rtl_models APPEND PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${dir})
  set(command ${VERILATOR_BIN} --cc --make cmake --prefix ${model_PREFIX} --top ${model_TOP} ${model_VERILATOR_ARGS})
  string(REPLACE ";" " " command_text "${command}")
  string(REPLACE "${VERILATOR_BIN} " "verilator " command_text "${command_text}")
  set_property(GLOBAL APPEND_STRING PROPERTY PESIM_VERILATED_MANIFEST_TEXT "${model_PREFIX}: ${command_text}\n")
  if(PESIM_VERILATED_MODELS_FROM)
    return()
  endif()

  # Verilator writes its sources' paths into the C++ (assertion messages): relative to the source tree, so that the
  # C++, and with it ccache's results, are the same in every clone.
  set(relative_sources "")
  foreach(source IN LISTS model_SOURCES)
    file(RELATIVE_PATH relative ${PROJECT_SOURCE_DIR} ${source})
    list(APPEND relative_sources ${relative})
  endforeach()
  set(fast ${dir}/${model_PREFIX}__fast_unity.cpp)
  set(slow ${dir}/${model_PREFIX}__slow_unity.cpp)
  add_custom_command(
    OUTPUT ${fast} ${slow}
    BYPRODUCTS ${dir}/${model_PREFIX}.h
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}
    COMMAND ${command} --Mdir ${dir} ${relative_sources}
    COMMAND ${CMAKE_COMMAND} -DPREFIX=${model_PREFIX} -DDIR=${dir} -P ${PROJECT_SOURCE_DIR}/cmake/PesimVerilatedUnity.cmake
    DEPENDS ${model_SOURCES} ${VERILATOR_BIN} ${PROJECT_SOURCE_DIR}/cmake/PesimVerilatedUnity.cmake
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Verilating ${model_TOP} as ${model_PREFIX}"
    VERBATIM)
  target_sources(pesim_rtl_models PRIVATE ${fast} ${slow})
  if(NOT model_OPT_SLOW)
    set(model_OPT_SLOW -O0)
  endif()
  set_source_files_properties(${fast} PROPERTIES COMPILE_OPTIONS "${model_OPT_FAST}")
  set_source_files_properties(${slow} PROPERTIES COMPILE_OPTIONS "${model_OPT_SLOW}")
endfunction()

# After the last pesim_verilate(): writes this tree's manifest, or checks it against the tree whose models it links.
function(pesim_verilated_manifest)
  get_property(text GLOBAL PROPERTY PESIM_VERILATED_MANIFEST_TEXT)
  if(NOT PESIM_VERILATED_MODELS_FROM)
    file(CONFIGURE OUTPUT ${PESIM_VERILATED_MANIFEST} CONTENT "${text}")
    return()
  endif()
  file(READ ${PESIM_VERILATED_MANIFEST} their_text)
  if(NOT their_text STREQUAL text)
    message(FATAL_ERROR "PESIM_VERILATED_MODELS_FROM=${PESIM_VERILATED_MODELS_FROM}: its models "
                        "(${PESIM_VERILATED_MANIFEST}) are not the ones these sources declare; reconfigure and build "
                        "that tree from these sources first")
  endif()
endfunction()
