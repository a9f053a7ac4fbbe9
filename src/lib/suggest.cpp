// The suggestions of "did you mean": edit distances and the closest catalog name (text_util.hpp).
// They run only for an event with an unknown name or value, never for a clean one: in WebAssembly
// this file is compiled for size (CMakeLists.txt).
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text_util.hpp"

namespace msgevents::detail {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

size_t edit_distance_within(std::string_view a, std::string_view b, size_t limit) {
  limit = std::min(limit, std::max(a.size(), b.size()));  // no distance is larger (and limit + 1 stays finite)
  const size_t over = limit + 1;
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return over;
  // One row of the table, every value capped at `over`; catalog names fit the buffer on the stack.
  size_t local[64];
  std::unique_ptr<size_t[]> heap;
  size_t* row = local;
  if (b.size() + 1 > std::size(local)) {
    heap.reset(new size_t[b.size() + 1]);
    row = heap.get();
  }
  for (size_t j = 0; j <= b.size(); ++j) row[j] = std::min(j, over);
  for (size_t i = 1; i <= a.size(); ++i) {
    // Row i only matters in columns [i - limit, i + limit]: a cell farther from the diagonal
    // costs more than `limit` edits, and reads as `over`.
    const size_t lo = i > limit ? i - limit : 1;
    const size_t hi = std::min(b.size(), i + limit);
    size_t diagonal = row[lo - 1];
    row[lo - 1] = lo == 1 ? std::min(i, over) : over;
    size_t row_min = row[lo - 1];
    const char ai = lower(a[i - 1]);
    for (size_t j = lo; j <= hi; ++j) {
      const size_t above = row[j];
      const size_t cost = ai == lower(b[j - 1]) ? 0 : 1;
      const size_t value = std::min(std::min(above, row[j - 1]) + 1, std::min(diagonal + cost, over));
      diagonal = above;
      row[j] = value;
      row_min = std::min(row_min, value);
    }
    if (hi < b.size()) row[hi + 1] = over;  // the next row reads it as the cell above its band's end
    if (row_min >= over) return over;  // a row never costs less than the one before it
  }
  return row[b.size()];
}

std::string_view closest_name(std::string_view wrong, const std::vector<std::string>& names) {
  // No name is accepted at a distance above max(2, max(|wrong|, |name|) / 3): no distance needs
  // computing beyond the largest such bound, and a candidate farther than that can never be the
  // answer (nor, as the first of the nearest, keep a later one from being it: then the nearest
  // is too far for any).
  size_t longest = wrong.size();
  for (const auto& name : names) longest = std::max(longest, name.size());
  const size_t any_allowed = std::max<size_t>(2, longest / 3);
  const std::string* best = nullptr;
  size_t best_distance = SIZE_MAX;
  // Most misspellings are an edit or two away: look for one within 0, 1, then 2 edits (narrow
  // bands, left early), and only when there is none within any_allowed. Each round finds the
  // first of the nearest within its bound, if any is, and every name farther than the bounds
  // before: so the first round that finds one finds the first of the nearest of all.
  for (size_t bound = 0;; bound = bound < 2 ? bound + 1 : any_allowed) {
    for (const auto& name : names) {
      const size_t longer = std::max(wrong.size(), name.size());
      const size_t shorter = std::min(wrong.size(), name.size());
      if (longer - shorter >= best_distance || longer - shorter > std::max<size_t>(2, longer / 3)) continue;  // cannot win
      const size_t limit = std::min(best_distance - 1, bound);  // only a nearer one replaces the best
      const size_t distance = edit_distance_within(wrong, name, limit);
      if (distance <= limit) {
        best_distance = distance;
        best = &name;
      }
    }
    if (best || bound >= any_allowed) break;
  }
  if (!best) return {};
  const size_t allowed = std::max<size_t>(2, std::max(wrong.size(), best->size()) / 3);
  return best_distance <= allowed ? std::string_view(*best) : std::string_view();
}

}  // namespace msgevents::detail
