#include "password.hpp"

#include <sodium.h>

#include <atomic>
#include <semaphore>
#include <stdexcept>
#include <thread>

#include "shop/core/error.hpp"
#include "shop/core/random.hpp"

namespace shop::user {

// At most `parallel` hashes run at once and at most `queued` more wait for one; any
// further caller is turned away at once (503, Retry-After), since a waiting hash holds a
// worker thread and enough of them would stall every route.
class PasswordHasher::Gate {
public:
    Gate(unsigned parallel, unsigned queued) : slots_(parallel), limit_(parallel + queued) {}
    struct Held {
        Gate& g;
        ~Held() {
            g.slots_.release();
            g.admitted_.fetch_sub(1);
        }
    };
    Held enter() {
        if (admitted_.fetch_add(1) >= limit_) {
            admitted_.fetch_sub(1);
            throw Error("busy", "the server is hashing as many passwords as it can; try again in a moment")
                .with_retry_after(1);
        }
        slots_.acquire();
        return Held{*this};
    }

private:
    std::counting_semaphore<1024> slots_;
    const unsigned limit_;
    std::atomic<unsigned> admitted_{0};
};

namespace {
unsigned parallelism(unsigned requested) {
    if (requested > 0) return std::min(requested, 1024u);
    return std::max(2u, std::min(1024u, std::thread::hardware_concurrency()));
}
}  // namespace

PasswordHasher::PasswordHasher(int ops, int mem_kib, unsigned max_parallel)
    : ops_(static_cast<unsigned long long>(ops)),
      mem_bytes_(static_cast<std::size_t>(mem_kib) * 1024),
      gate_(std::make_unique<Gate>(parallelism(max_parallel), 2 * parallelism(max_parallel))) {
    if (ops_ < crypto_pwhash_argon2id_OPSLIMIT_MIN || mem_bytes_ < crypto_pwhash_argon2id_MEMLIMIT_MIN)
        throw std::invalid_argument("argon2id parameters below libsodium's minimum");
    core::random_bytes(0);  // initialises libsodium before the first hash
}

PasswordHasher::~PasswordHasher() = default;

std::string PasswordHasher::hash(std::string_view password) const {
    char out[crypto_pwhash_STRBYTES];
    auto held = gate_->enter();
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_, mem_bytes_, crypto_pwhash_ALG_ARGON2ID13) !=
        0)
        throw std::runtime_error("password hashing ran out of memory");
    return std::string(out);
}

bool PasswordHasher::verify(std::string_view hash, std::string_view password) const {
    // libsodium wants a NUL-terminated hash; a stored one never holds a NUL.
    std::string h(hash);
    if (h.empty() || h.size() >= crypto_pwhash_STRBYTES || h.find('\0') != std::string::npos) return false;
    auto held = gate_->enter();
    return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view hash) const {
    std::string h(hash);
    // Also 1 for a hash of another algorithm (argon2i), -1 for garbage: both mean re-hash.
    return crypto_pwhash_str_needs_rehash(h.c_str(), ops_, mem_bytes_) != 0;
}

void PasswordHasher::prepare() const {
    std::call_once(dummy_once_, [this] { dummy_ = hash(core::random_token(32)); });
}

void PasswordHasher::verify_dummy(std::string_view password) const {
    prepare();
    (void)verify(dummy_, password);
}

}  // namespace shop::user
