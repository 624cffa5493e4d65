#pragma once
// Handler threads beside the event loop, and the Scheduler that modules use for timers.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "shop/core/scheduler.hpp"

namespace shop::server {

class WorkerPool final : public core::Scheduler {
public:
    WorkerPool(boost::asio::io_context& loop, int threads);
    ~WorkerPool() override;

    void post(std::function<void()> fn) override;
    // The timer lives on the loop; fn runs on a worker; the next tick is armed only after
    // fn returns, so a slow run never overlaps the next.
    void every(std::chrono::milliseconds interval, std::function<void()> fn) override;
    void join();  // waits for queued work to finish

private:
    boost::asio::io_context& loop_;
    boost::asio::thread_pool pool_;
};

int default_worker_count();

}  // namespace shop::server
