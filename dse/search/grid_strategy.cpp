// SPDX-License-Identifier: Apache-2.0
// "grid": every canonical design once, in mixed-radix index order.
#include "dse/search/design_ledger.h"
#include "dse/search/strategies.h"

namespace pesim::dse {
namespace {

class GridStrategy : public LedgerStrategy {
 public:
  GridStrategy(const DesignSpace& space, const StrategyOptions& options) : LedgerStrategy(space, options) {}

  std::string name() const override { return "grid"; }

  std::vector<Design> ask(size_t count) override {
    std::vector<Design> designs;
    const uint64_t product = m_space.product_size();
    while (designs.size() < count && m_next_index < product) {
      Design design = m_space.design_at(m_next_index++);
      // Non-canonical points repeat a canonical one; told designs (a resumed run's) are done already.
      if (m_space.is_canonical(design) && m_ledger.record(design)) designs.push_back(std::move(design));
    }
    return designs;
  }

 private:
  uint64_t m_next_index = 0;
};

}  // namespace

std::unique_ptr<Strategy> make_grid_strategy(const DesignSpace& space, const StrategyOptions& options) {
  return std::make_unique<GridStrategy>(space, options);
}

}  // namespace pesim::dse
