# Compiles through ccache when it is installed (scripts/install_deps.sh installs it), so that a second build of the
# same commit, in this tree or in another clone on the same machine, compiles nothing it has compiled before.
# Paths under the source tree are rewritten relative to each compiler's working directory (CCACHE_BASEDIR) and the
# working directory is left out of the hash (CCACHE_NOHASHDIR), so clones in different directories share results as
# long as their build trees sit at the same place inside them (the README's `-B build`). -DPESIM_CCACHE=OFF turns it
# off; a launcher given on the command line (CMAKE_CXX_COMPILER_LAUNCHER) is kept.
option(PESIM_CCACHE "Compile through ccache when it is installed" ON)
find_program(PESIM_CCACHE_PROGRAM ccache)
if(PESIM_CCACHE AND PESIM_CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1
                                  ${PESIM_CCACHE_PROGRAM})
  message(STATUS "pesim: compiling through ${PESIM_CCACHE_PROGRAM}")
endif()
