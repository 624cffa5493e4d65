#pragma once
// Password hashing with argon2id (libsodium), in the PHC string format, so each stored hash
// carries its own parameters and old hashes keep verifying after the settings change.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace shop::user {

class PasswordHasher {
public:
    // ops: argon2id opslimit; mem_kib: memlimit in KiB. At most `max_parallel` hashes are
    // computed at once (0: one per core), so a burst of sign-ins cannot exhaust memory, and
    // at most twice as many wait: past that hash() and verify() throw Error "busy" (503
    // with Retry-After) instead of holding a worker thread.
    PasswordHasher(int ops, int mem_kib, unsigned max_parallel = 0);
    ~PasswordHasher();

    std::string hash(std::string_view password) const;
    // Constant-time comparison (libsodium); false for a malformed hash too.
    bool verify(std::string_view hash, std::string_view password) const;
    // True when the hash was made with other parameters than ours (or is not argon2id).
    bool needs_rehash(std::string_view hash) const;
    // Costs what verify() costs and always fails: for sign-ins naming no account, so they
    // cannot be told apart from wrong passwords by timing.
    void verify_dummy(std::string_view password) const;
    // Makes the dummy hash now instead of on first use.
    void prepare() const;

private:
    class Gate;
    unsigned long long ops_;
    std::size_t mem_bytes_;
    std::unique_ptr<Gate> gate_;
    mutable std::once_flag dummy_once_;
    mutable std::string dummy_;
};

}  // namespace shop::user
