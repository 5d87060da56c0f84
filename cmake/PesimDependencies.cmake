# Every dependency comes from a Debian 12 package installed by scripts/install_deps.sh; nothing is downloaded.
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(Catch2 2 REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED)  # header-only parts: Boost.Graph (the operator graph)

find_package(PkgConfig REQUIRED)
pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr)
pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)
pkg_check_modules(SystemC REQUIRED IMPORTED_TARGET systemc)
find_package(verilator REQUIRED)
find_package(MPI REQUIRED COMPONENTS CXX)  # OpenMPI: pesim dse --mpi
