#include "messages.h"

#include <cstdio>
#include <utility>

namespace framepipe {

namespace {
std::function<void()>& status_line_eraser() {
    static std::function<void()> erase;
    return erase;
}

void print(const char* kind, const std::string& message) {
    if (status_line_eraser())
        status_line_eraser()();
    std::fprintf(stderr, "framepipe: %s%s\n", kind, message.c_str());
    std::fflush(stderr);
}
} // namespace

void set_status_line_eraser(std::function<void()> erase) {
    status_line_eraser() = std::move(erase);
}

void print_error(const std::string& message) {
    print("error: ", message);
}
void print_warning(const std::string& message) {
    print("warning: ", message);
}
void print_note(const std::string& message) {
    print("", message);
}

} // namespace framepipe
