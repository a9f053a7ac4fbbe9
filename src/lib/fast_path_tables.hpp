// What the fast path works out once from the catalog and once per hash key, so that reading an
// event costs no string compare it can avoid: each event's aggregate, whether it only creates one,
// what each payload field needs (FieldInfo), and the keyed hashes of every member name.
// Private to the fast path: included by fast_path_state.hpp alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "envelope_fields.hpp"  // generated from the catalog
#include "envelope_rules.hpp"
#include "formats.hpp"
#include "msgevents/catalog.hpp"
#include "siphash.hpp"

namespace msgevents::detail {
namespace fast {

// What the fast path needs of a catalog field, worked out once instead of by string compares.
struct FieldInfo {
  uint64_t key_hash = 0;  // its name's hash under the run's key
  std::optional<Format> format, item_format;
  bool is_kind = false;      // the sibling a channel_address depends on
  bool is_id_field = false;  // the aggregate's id: aggregate_id must equal it
};

// The catalog's part of FastPath::Impl (its base, so the checks name these members directly).
struct Tables {
  explicit Tables(const Catalog& cat) : catalog(cat) {
    for (const auto& aggregate : catalog.aggregates) aggregates_by_name.emplace(aggregate.name, &aggregate);
    for (const auto& event : catalog.events) {
      event_names.push_back(event.name);
      const auto aggregate = aggregates_by_name.find(event.aggregate);
      aggregate_of.push_back(aggregate == aggregates_by_name.end() ? nullptr : aggregate->second);
      creates_only.push_back(aggregate != aggregates_by_name.end() && only_creates(*aggregate->second, event.name));
      std::vector<FieldInfo>& infos = field_infos.emplace_back();
      for (const auto& f : event.fields) {
        FieldInfo info;
        info.format = find_format(f.format);
        info.item_format = find_format(f.item_format);
        info.is_kind = f.name == "kind";
        info.is_id_field = aggregate != aggregates_by_name.end() && f.name == aggregate->second->id_field;
        infos.push_back(info);
      }
    }
  }

  std::vector<std::vector<FieldInfo>> field_infos;  // per catalog event, per field of it

  const Catalog& catalog;
  std::unordered_map<std::string_view, const AggregateSpec*> aggregates_by_name;
  std::vector<const AggregateSpec*> aggregate_of;  // per catalog event
  std::vector<std::string> event_names;            // for the "did you mean" of an unknown event_name
  std::vector<uint8_t> creates_only;               // per catalog event: only_creates(), worked out once
  const SipKey* key = nullptr;

  // Member names hash the same in every event: their keyed hashes are made once per key.
  SipKey hashed_under{~0ULL, ~0ULL};
  uint64_t envelope_key_hash[kEnvelopeFieldCount] = {};
  uint64_t actor_type_hash = 0, actor_id_hash = 0;
  uint64_t empty_text_hash = 0;  // an identity the event lacks hashes as the empty string
  void hash_names(const SipKey& k) {
    if (key && k.k0 == hashed_under.k0 && k.k1 == hashed_under.k1) return;
    hashed_under = k;
    key = &hashed_under;
    for (int e = 0; e < kEnvelopeFieldCount; ++e) envelope_key_hash[e] = sip(kEnvelopeFields[e].name);
    actor_type_hash = sip("type");
    actor_id_hash = sip("id");
    empty_text_hash = sip({});
    for (size_t e = 0; e < catalog.events.size(); ++e) {
      for (size_t i = 0; i < catalog.events[e].fields.size(); ++i) field_infos[e][i].key_hash = sip(catalog.events[e].fields[i].name);
    }
  }
  uint64_t sip(std::string_view text) const { return siphash13(*key, text); }
};

}  // namespace fast
}  // namespace msgevents::detail
