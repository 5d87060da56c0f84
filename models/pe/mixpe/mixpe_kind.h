// SPDX-License-Identifier: Apache-2.0
#pragma once
#include "models/pe/registry.h"

namespace pesim::pe {

PeKind mixpe_kind();

}  // namespace pesim::pe
