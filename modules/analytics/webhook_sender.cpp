#include "webhook_sender.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <sys/socket.h>

#include <ctime>
#include <deque>
#include <list>
#include <map>
#include <string>
#include <vector>

#include "shop/core/log.hpp"
#include "shop/core/signature.hpp"
#include "webhook_address.hpp"
#include "webhook_endpoint_repository.hpp"

namespace shop::analytics {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kMaxInFlight = 256;           // transfers at once, all receivers together
constexpr int kMaxPerEndpoint = 32;         // transfers at once to one receiver
constexpr int kClaimBatch = 128;
// Claimed, waiting for one of its receiver's slots. A full queue's scope is left out of the
// next claims until it is half empty: a slow receiver's jobs stay due in the outbox (for
// this replica later, or another now) instead of being claimed and handed back, and the
// other receivers' jobs still flow.
constexpr std::size_t kMaxQueuedPerEndpoint = kClaimBatch;
constexpr std::size_t kMaxResponseBytes = 64 * 1024;
constexpr milliseconds kIdleClaimEvery{100};
constexpr milliseconds kSettleEvery{100};
constexpr std::size_t kSettleBatch = 256;
constexpr milliseconds kDisabledRetry{60000};  // a job of a disabled receiver looks again after

std::string address_text(const sockaddr* a) {
    char buf[INET6_ADDRSTRLEN] = "?";
    if (a->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, buf, sizeof buf);
    else if (a->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, buf, sizeof buf);
    return buf;
}

struct Transfer {
    core::ClaimedJob job;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    bool allow_private = false;
    std::size_t received = 0;
    bool too_large = false;
    std::string refused;  // the address the open-socket check refused
    char error[CURL_ERROR_SIZE] = {};

    ~Transfer() {
        if (headers) curl_slist_free_all(headers);
        if (easy) curl_easy_cleanup(easy);
    }
};

// The response body is not kept, only counted: past the cap the transfer is aborted.
std::size_t on_body(char*, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    t->received += size * n;
    if (t->received > kMaxResponseBytes) {
        t->too_large = true;
        return 0;
    }
    return size * n;
}

// Every connection a delivery opens passes here with the address libcurl resolved: the
// address actually connected to is the one checked.
curl_socket_t open_socket(void* user, curlsocktype, curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(user);
    if (!t->allow_private && !public_address(&address->addr)) {
        t->refused = address_text(&address->addr);
        return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

WebhookSettings read_webhook_settings(core::Settings& settings) {
    WebhookSettings s;
    settings.read({
        core::Setting::integer("webhooks.retry_base_ms", "SHOPD_WEBHOOK_RETRY_BASE_MS", 1, 86400000, s.retry_base_ms),
        core::Setting::integer("webhooks.timeout_ms", "SHOPD_WEBHOOK_TIMEOUT_MS", 100, 10000, s.timeout_ms),
        core::Setting::boolean("webhooks.allow_private", "SHOPD_WEBHOOK_ALLOW_PRIVATE", s.allow_private),
    });
    return s;
}

struct WebhookSender::Impl {
    db::Database& db;
    WebhookSettings settings;
    core::Outbox outbox;
    core::Backoff backoff;
    WebhookEndpointRepository endpoints;
    CURLM* multi = nullptr;
    std::list<std::unique_ptr<Transfer>> in_flight;
    std::map<std::string, int> per_endpoint;  // scope -> transfers in flight
    std::map<std::string, std::deque<core::ClaimedJob>> waiting;
    std::map<std::string, WebhookEndpoint> known;  // the endpoints of this pump's jobs
    std::vector<std::string> skipped;              // scopes the last claim left out
    std::vector<core::Settlement> done;
    Clock::time_point last_settle = Clock::now();

    Impl(db::Database& d, const WebhookSettings& s)
        : db(d), settings(s), outbox(d), backoff{milliseconds(s.retry_base_ms), s.max_attempts} {
        multi = curl_multi_init();
        if (!multi) throw std::runtime_error("webhooks: curl_multi_init failed");
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(kMaxInFlight));
    }
    ~Impl() {
        try {
            drain();
        } catch (const std::exception& e) {
            log::error("webhooks: finishing the deliveries in flight at shutdown failed: {}", e.what());
        }
        for (auto& t : in_flight) curl_multi_remove_handle(multi, t->easy);
        in_flight.clear();
        curl_multi_cleanup(multi);
    }

    milliseconds lease() const { return std::max(milliseconds(60000), milliseconds(settings.timeout_ms * 3)); }

    void failed(const core::ClaimedJob& job, std::string error, std::optional<int> code) {
        if (auto next = backoff.next_due(job.attempts, outbox.now()))
            done.push_back(core::Settlement::failed(job, std::move(error), *next, code));
        else
            done.push_back(core::Settlement::gave_up(job, std::move(error), code));
    }

    void settle(bool force) {
        if (done.empty()) return;
        if (!force && done.size() < kSettleBatch && Clock::now() - last_settle < kSettleEvery) return;
        try {
            outbox.settle(done);
        } catch (const std::exception& e) {
            // The leases end and the jobs are tried again: at least once, if not once.
            log::error("webhooks: recording {} delivery outcomes failed: {}", done.size(), e.what());
        }
        done.clear();
        last_settle = Clock::now();
    }

    bool start(const core::ClaimedJob& job, const WebhookEndpoint& ep) {
        auto t = std::make_unique<Transfer>();
        t->job = job;
        t->allow_private = settings.allow_private;
        t->easy = curl_easy_init();
        if (!t->easy) return false;
        const std::string event_id = job.key.substr(0, job.key.find(':'));
        const std::string signature = core::signature_header(ep.secret, std::time(nullptr), job.payload);
        for (const std::string& h : {std::string("Content-Type: application/json"), "Shop-Event-Id: " + event_id,
                                     "Shop-Signature: " + signature, std::string("User-Agent: shopd-webhooks/1"),
                                     std::string("Expect:")})
            t->headers = curl_slist_append(t->headers, h.c_str());
        CURL* e = t->easy;
        curl_easy_setopt(e, CURLOPT_URL, ep.url.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->job.payload.size()));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->job.payload.c_str());
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(e, CURLOPT_PROXY, "");  // never a proxy from the environment
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(5000, static_cast<long>(settings.timeout_ms)));
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout_ms));
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE, static_cast<long>(kMaxResponseBytes));
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
        curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
        if (curl_multi_add_handle(multi, e) != CURLM_OK) return false;
        ++per_endpoint[job.scope];
        in_flight.push_back(std::move(t));
        return true;
    }

    // Starts what the receivers' slots allow of the waiting jobs.
    std::size_t start_waiting() {
        std::size_t started = 0;
        for (auto it = waiting.begin(); it != waiting.end();) {
            auto& queue = it->second;
            while (!queue.empty() && per_endpoint[it->first] < kMaxPerEndpoint &&
                   in_flight.size() < static_cast<std::size_t>(kMaxInFlight)) {
                core::ClaimedJob job = std::move(queue.front());
                queue.pop_front();
                auto ep = known.find(job.scope);
                if (ep != known.end() && start(job, ep->second)) {
                    ++started;
                } else {
                    failed(job, "could not start the transfer", std::nullopt);
                }
            }
            it = queue.empty() ? waiting.erase(it) : std::next(it);
        }
        return started;
    }

    std::size_t queued() const {
        std::size_t n = 0;
        for (const auto& [scope, q] : waiting) n += q.size();
        return n;
    }

    std::vector<std::string> full_scopes() const {
        std::vector<std::string> out;
        for (const auto& [scope, q] : waiting)
            if (q.size() >= kMaxQueuedPerEndpoint) out.push_back(scope);
        return out;
    }

    // Whether a scope the last claim left out has room again.
    bool skipped_has_room() const {
        for (const auto& scope : skipped) {
            auto q = waiting.find(scope);
            if (q == waiting.end() || q->second.size() <= kMaxQueuedPerEndpoint / 2) return true;
        }
        return false;
    }

    // Claims up to n due jobs, none of a full queue's scope, and sorts them: to a
    // receiver's queue, or back to the outbox.
    std::size_t claim(int n) {
        skipped = full_scopes();
        auto jobs = outbox.claim("webhook", n, lease(), skipped);
        if (jobs.empty()) return 0;
        std::vector<std::string> ids;
        for (const auto& j : jobs)
            if (!known.count(j.scope)) ids.push_back(j.scope);
        if (!ids.empty()) {
            auto found = db.read([&](db::Conn& c) { return endpoints.by_ids(c, ids); });
            for (auto& ep : found) known[ep.id] = std::move(ep);
        }
        const std::int64_t now = outbox.now();
        for (auto& job : jobs) {
            auto ep = known.find(job.scope);
            if (ep == known.end()) {
                done.push_back(core::Settlement::gave_up(job, "the endpoint was deleted"));
            } else if (!ep->second.enabled) {
                done.push_back(core::Settlement::postponed(job, now + kDisabledRetry.count()));
            } else if (waiting[job.scope].size() >= kMaxQueuedPerEndpoint) {
                // Due again at once, its attempt not counted; the next claims skip the scope.
                done.push_back(core::Settlement::postponed(job, now));
            } else {
                waiting[job.scope].push_back(std::move(job));
            }
        }
        return jobs.size();
    }

    void finish(CURLMsg* msg) {
        Transfer* t = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
        long status = 0;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        const CURLcode rc = msg->data.result;
        std::optional<int> code;
        if (status > 0) code = static_cast<int>(status);
        if (rc == CURLE_OK && status >= 200 && status < 300) {
            done.push_back(core::Settlement::succeeded(t->job, code));
        } else if (!t->refused.empty()) {
            failed(t->job, "url_not_allowed: the receiver's address " + t->refused + " is not public", code);
        } else if (t->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
            failed(t->job, "the response was over " + std::to_string(kMaxResponseBytes) + " bytes", code);
        } else if (rc == CURLE_OPERATION_TIMEDOUT) {
            failed(t->job, "no answer within " + std::to_string(settings.timeout_ms) + " ms", code);
        } else if (rc != CURLE_OK) {
            failed(t->job, std::string(curl_easy_strerror(rc)) + (t->error[0] ? std::string(": ") + t->error : ""),
                   code);
        } else if (status >= 300 && status < 400) {
            failed(t->job, "HTTP " + std::to_string(status) + ": redirects are not followed", code);
        } else {
            failed(t->job, "HTTP " + std::to_string(status), code);
        }
        curl_multi_remove_handle(multi, msg->easy_handle);
        --per_endpoint[t->job.scope];
        in_flight.remove_if([t](const std::unique_ptr<Transfer>& p) { return p.get() == t; });
    }

    // Reads what libcurl finished and settles it; waits up to `wait` for more activity.
    void progress(milliseconds wait) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left))
            if (msg->msg == CURLMSG_DONE) finish(msg);
        settle(false);
        if (!in_flight.empty()) curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }

    std::size_t pump(milliseconds slice) {
        const auto end = Clock::now() + slice;
        std::size_t attempted = 0;
        bool more = true;  // the last claim was full: more may be due at once
        auto last_claim = Clock::time_point{};
        known.clear();
        skipped.clear();
        // Transfers still in flight when the slice ends carry on into the next pump rather
        // than being waited for: a hanging receiver holds its own transfers until their
        // timeout, never the claims of everyone else's deliveries.
        for (auto now = Clock::now(); now < end; now = Clock::now()) {
            const int room = kMaxInFlight - static_cast<int>(in_flight.size() + queued());
            if (room > 0 && (more || skipped_has_room() || now - last_claim >= kIdleClaimEvery)) {
                last_claim = now;
                const int want = std::min(room, kClaimBatch);
                more = outbox.any_due("webhook") && claim(want) == static_cast<std::size_t>(want);
            }
            attempted += start_waiting();
            if (in_flight.empty() && !more && waiting.empty()) break;
            progress(std::min(kSettleEvery, std::chrono::duration_cast<milliseconds>(end - now) + milliseconds(1)));
        }
        // What is still queued goes back, due at once: its receiver's slots stayed full.
        const std::int64_t now = outbox.now();
        for (auto& [scope, queue] : waiting)
            for (const auto& job : queue) done.push_back(core::Settlement::postponed(job, now));
        waiting.clear();
        settle(true);
        return attempted;
    }

    // At shutdown: the transfers in flight end (each within its timeout) and their
    // outcomes are recorded, so a delivery that was made is not made again.
    void drain() {
        const auto end = Clock::now() + milliseconds(settings.timeout_ms);
        while (!in_flight.empty() && Clock::now() < end) progress(kSettleEvery);
        settle(true);
    }
};

WebhookSender::WebhookSender(db::Database& db, const WebhookSettings& settings)
    : impl_(std::make_unique<Impl>(db, settings)) {}

WebhookSender::~WebhookSender() = default;

std::size_t WebhookSender::pump(std::chrono::milliseconds slice) { return impl_->pump(slice); }

}  // namespace shop::analytics
