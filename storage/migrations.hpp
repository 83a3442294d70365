#pragma once
// The numbered schema migrations, oldest first. A migration is never edited once released: change the
// schema by appending one. Each is applied in its own transaction and recorded in schema_migrations.

#include <cstdint>
#include <span>

namespace dpmon::storage {

struct migration {
    std::int64_t version;
    const char* description;
    const char* sql;
};

std::span<const migration> all_migrations();

}  // namespace dpmon::storage
