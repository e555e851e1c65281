// The stream feeder's buffer: bytes come out in the order they went in, whether the room for a
// read was found behind them, by moving them to the front, or by growing.
#include "pipeline/byte_queue.h"

#include "catch.h"
#include <numeric>
#include <vector>

using namespace framepipe;

namespace {

std::vector<std::uint8_t> counting(std::size_t n, std::uint8_t from) {
    std::vector<std::uint8_t> v(n);
    std::iota(v.begin(), v.end(), from);
    return v;
}

std::vector<std::uint8_t> contents(ByteQueue& q) {
    return {q.live().begin(), q.live().end()};
}

} // namespace

TEST_CASE("byte queue: room behind the live bytes, then at the front, then grown") {
    ByteQueue q(16);
    REQUIRE(q.capacity() == 16);
    q.append(counting(6, 0));
    CHECK(q.room(10).size() == 10); // fits behind
    q.drop_front(4);
    CHECK(contents(q) == std::vector<std::uint8_t>{4, 5});
    // 2 live + 12 wanted do not fit behind (10 free), nor in half the buffer: it grows.
    auto room = q.room(12);
    CHECK(q.capacity() >= 28);
    CHECK(room.size() >= 12);
    CHECK(contents(q) == std::vector<std::uint8_t>{4, 5});
    const auto more = counting(12, 6);
    std::copy(more.begin(), more.end(), room.begin());
    q.appended(12);
    CHECK(contents(q) == counting(14, 4));
}

TEST_CASE("byte queue: few live bytes move to the front rather than the buffer growing") {
    ByteQueue q(16);
    q.append(counting(14, 0));
    q.drop_front(12);
    q.room(4); // 2 behind; 2 live + 4 <= 8: moved
    CHECK(q.capacity() == 16);
    q.append(counting(4, 14));
    CHECK(contents(q) == counting(6, 12));
}

TEST_CASE("byte queue: emptied, it starts at the front again") {
    ByteQueue q(8);
    q.append(counting(8, 0));
    q.drop_front(8);
    CHECK(q.size() == 0);
    CHECK(q.room(8).size() == 8);
    q.drop_front(1); // dropping from an empty queue is nothing
    CHECK(q.size() == 0);
}
