#pragma once
// SHA-256 (OpenSSL): of files being imported (exactly-once) and of anything dpmon stores to recognise
// later (a reconciliation's rules key), since std::hash differs between library versions. Row fingerprints
// are hashed by importers::fingerprint_hasher.

#include <memory>
#include <string>
#include <string_view>

namespace dpmon::daemon {

class sha256 {
public:
    sha256();
    ~sha256();
    sha256(const sha256&) = delete;
    sha256& operator=(const sha256&) = delete;

    void update(std::string_view bytes);
    std::string hex();          // lower case; ends the digest (call once)
    std::string raw(std::size_t bytes = 32);  // the first `bytes` of the digest; ends it; starts afresh

private:
    struct state;
    std::unique_ptr<state> s_;
};

// The digest of `text`, lower-case hex.
std::string sha256_hex(std::string_view text);

}  // namespace dpmon::daemon
