// A fixed set of threads running queued tasks. Destroying the pool drops the tasks not started
// and waits for the running ones.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace framepipe {

class WorkerPool {
  public:
    explicit WorkerPool(unsigned threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(std::function<void()> task);
    unsigned size() const { return static_cast<unsigned>(threads_.size()); }

  private:
    void work();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

// One thread per core: the machine's cores, or 1 when it does not say.
unsigned default_worker_threads();

} // namespace framepipe
