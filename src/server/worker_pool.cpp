#include "server/worker_pool.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <thread>

#include "shop/core/log.hpp"

namespace shop::server {

namespace asio = boost::asio;

int default_worker_count() {
    // Handlers block on the disk (group commit waits) and on password hashing; more threads
    // than cores keep the writer's batches full without letting CPU work pile up.
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<int>(std::min(64u, std::max(8u, cores * 8)));
}

WorkerPool::WorkerPool(asio::io_context& loop, int threads)
    : loop_(loop), pool_(static_cast<std::size_t>(threads > 0 ? threads : default_worker_count())) {}

WorkerPool::~WorkerPool() { join(); }

void WorkerPool::post(std::function<void()> fn) { asio::post(pool_, std::move(fn)); }

void WorkerPool::join() { pool_.join(); }

namespace {
struct Ticker : std::enable_shared_from_this<Ticker> {
    asio::steady_timer timer;
    std::chrono::milliseconds interval;
    std::function<void()> fn;
    WorkerPool& pool;

    Ticker(asio::io_context& loop, std::chrono::milliseconds i, std::function<void()> f, WorkerPool& p)
        : timer(loop), interval(i), fn(std::move(f)), pool(p) {}

    void arm() {
        timer.expires_after(interval);
        timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            self->pool.post([self] {
                try {
                    self->fn();
                } catch (const std::exception& e) {
                    log::error("scheduled task failed: {}", e.what());
                }
                asio::post(self->timer.get_executor(), [self] { self->arm(); });
            });
        });
    }
};
}  // namespace

void WorkerPool::every(std::chrono::milliseconds interval, std::function<void()> fn) {
    std::make_shared<Ticker>(loop_, interval, std::move(fn), *this)->arm();
}

}  // namespace shop::server
