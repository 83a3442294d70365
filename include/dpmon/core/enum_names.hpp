#pragma once
// One way to name an enum's values: a table of (value, text) pairs, looked up both ways. Each enum that
// crosses an edge as text (flag codes, states, review kinds) keeps its table beside its to_string/parse.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace dpmon::core {

template <class E, std::size_t N>
using enum_names = std::array<std::pair<E, std::string_view>, N>;

// The text of `value` ("UNKNOWN" for a value missing from the table, which a test of each table rules out).
template <class E, std::size_t N>
constexpr std::string_view name_in(const enum_names<E, N>& table, E value) {
    for (const auto& [e, name] : table) {
        if (e == value) return name;
    }
    return "UNKNOWN";
}

// The value `text` names exactly, or nullopt.
template <class E, std::size_t N>
constexpr std::optional<E> value_in(const enum_names<E, N>& table, std::string_view text) {
    for (const auto& [e, name] : table) {
        if (name == text) return e;
    }
    return std::nullopt;
}

}  // namespace dpmon::core
