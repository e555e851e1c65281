// A scriptable stand-in for ffmpeg, driven by environment variables, for testing framepipe's
// process layer and supervisor without a real encoder:
//   FAKE_BANNER            first stderr line (default "ffmpeg version 5.1.9-fake"); "none" for none
//   FAKE_EXIT_AFTER_BYTES  stop reading after this many bytes of stdin and exit
//   FAKE_EXIT_CODE         exit status (default 0)
//   FAKE_KILL_SELF         after FAKE_EXIT_AFTER_BYTES, die by this signal instead of exiting
//   FAKE_IGNORE_SIGNALS    ignore SIGINT and SIGTERM
//   FAKE_STDERR_FLOOD      write this many bytes of log lines to stderr for every 64 KiB read
//   FAKE_HANG_AFTER_EOF    after stdin ends, sleep this many seconds before exiting
//   FAKE_READ_DELAY_MS     sleep this long after every read of stdin (a slow encoder)
//   FAKE_REPORT            write "key value" lines here: bytes read, open fds, process group,
//                          blocked signals, and SIGINT/SIGTERM/SIGHUP received (counted, not
//                          obeyed)
//   FAKE_ENCODERS          asked for -encoders, list these (space-separated) as ffmpeg does;
//                          unset, print no list at all (an ffmpeg whose answer is not believed)
//   FAKE_CALLS             append a line per run: "encoders" for -encoders, else "encode"
//   FAKE_FAIL_WITH         when this is one of the arguments, fail at once as ffmpeg does when
//                          an encoder cannot open (a hardware encoder without its hardware)
// It writes what it read to the output named by its last argument ("file:PATH"), like ffmpeg.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

volatile std::sig_atomic_t signals_received = 0;

void count_signal(int) {
    signals_received = signals_received + 1;
}

long long env_num(const char* name, long long fallback) {
    const char* v = std::getenv(name);
    return v ? std::atoll(v) : fallback;
}

void write_report(const char* path, long long bytes) {
    FILE* f = std::fopen(path, "w");
    if (!f)
        return;
    std::fprintf(f, "bytes %lld\n", bytes);
    std::fprintf(f, "pgid_is_pid %d\n", getpgid(0) == getpid() ? 1 : 0);
    std::fprintf(f, "parents_session %d\n", getsid(0) == getsid(getppid()) ? 1 : 0);
    sigset_t mask;
    sigprocmask(SIG_BLOCK, nullptr, &mask);
    int blocked = 0;
    for (int s = 1; s < NSIG; ++s)
        if (sigismember(&mask, s) == 1)
            ++blocked;
    std::fprintf(f, "blocked_signals %d\n", blocked);
    struct sigaction sa {};
    sigaction(SIGPIPE, nullptr, &sa);
    std::fprintf(f, "sigpipe_default %d\n", sa.sa_handler == SIG_DFL ? 1 : 0);
    std::string fds;
    if (DIR* d = opendir("/proc/self/fd")) {
        int self = dirfd(d);
        while (dirent* e = readdir(d)) {
            if (e->d_name[0] == '.' || std::atoi(e->d_name) == self)
                continue;
            int fd = std::atoi(e->d_name);
            if (fd == fileno(f))
                continue;
            fds += (fds.empty() ? "" : ",") + std::string(e->d_name);
        }
        closedir(d);
    }
    std::fprintf(f, "fds %s\n", fds.c_str());
    std::fprintf(f, "signals_received %d\n", static_cast<int>(signals_received));
    std::fclose(f);
}

// The shape of `ffmpeg -hide_banner -encoders`: a legend, a dashed line, one encoder per line.
int list_encoders() {
    std::printf("Encoders:\n V..... = Video\n A..... = Audio\n ------\n");
    std::string names = std::getenv("FAKE_ENCODERS");
    std::size_t at = 0;
    while ((at = names.find_first_not_of(' ', at)) != std::string::npos) {
        std::size_t end = std::min(names.find(' ', at), names.size());
        std::printf(" V....D %s  fake encoder\n", names.substr(at, end - at).c_str());
        at = end;
    }
    return 0;
}

void log_call(const char* what) {
    if (const char* path = std::getenv("FAKE_CALLS"))
        if (FILE* f = std::fopen(path, "a")) {
            std::fprintf(f, "%s\n", what);
            std::fclose(f);
        }
}

} // namespace

int main(int argc, char** argv) {
    bool encoders = false;
    for (int i = 1; i < argc; ++i)
        encoders = encoders || std::strcmp(argv[i], "-encoders") == 0;
    log_call(encoders ? "encoders" : "encode");
    if (encoders)
        return std::getenv("FAKE_ENCODERS") ? list_encoders() : 0;
    if (const char* fail = std::getenv("FAKE_FAIL_WITH"))
        for (int i = 1; i < argc; ++i)
            if (std::strcmp(argv[i], fail) == 0) {
                std::fprintf(stderr, "[%s @ 0x5555] Cannot load the fake hardware\n", fail);
                return 1;
            }
    const char* banner = std::getenv("FAKE_BANNER");
    if (!banner)
        banner = "ffmpeg version 5.1.9-fake Copyright (c) 2000-2026 the FFmpeg developers";
    if (std::strcmp(banner, "none") != 0)
        std::fprintf(stderr, "%s\n", banner);
    std::fflush(stderr);
    if (std::getenv("FAKE_IGNORE_SIGNALS")) {
        std::signal(SIGINT, SIG_IGN);
        std::signal(SIGTERM, SIG_IGN);
    } else if (std::getenv("FAKE_REPORT")) {
        // Survive them to tell: a signal that reached the fake is a signal that reached ffmpeg.
        struct sigaction sa {};
        sa.sa_handler = count_signal;
        for (int s : {SIGINT, SIGTERM, SIGHUP})
            sigaction(s, &sa, nullptr);
    }
    long long limit = env_num("FAKE_EXIT_AFTER_BYTES", -1);
    long long flood = env_num("FAKE_STDERR_FLOOD", 0);
    long long read_delay_ms = env_num("FAKE_READ_DELAY_MS", 0);
    std::string out_path;
    if (argc > 1 && std::strncmp(argv[argc - 1], "file:", 5) == 0)
        out_path = argv[argc - 1] + 5;
    FILE* out = out_path.empty() ? nullptr : std::fopen(out_path.c_str(), "wb");

    std::vector<char> buf(65536);
    long long total = 0;
    std::string line(200, 'x');
    line += '\n';
    while (limit < 0 || total < limit) {
        std::size_t want = buf.size();
        if (limit >= 0)
            want = static_cast<std::size_t>(std::min<long long>(want, limit - total));
        ssize_t n = read(STDIN_FILENO, buf.data(), want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += n;
        if (out)
            std::fwrite(buf.data(), 1, static_cast<std::size_t>(n), out);
        for (long long w = 0; w < flood; w += static_cast<long long>(line.size()))
            std::fputs(line.c_str(), stderr);
        if (read_delay_ms > 0)
            usleep(static_cast<useconds_t>(read_delay_ms * 1000));
    }
    if (out)
        std::fclose(out);
    if (const char* report = std::getenv("FAKE_REPORT"))
        write_report(report, total);
    if (limit >= 0 && total >= limit) {
        if (long long sig = env_num("FAKE_KILL_SELF", 0); sig > 0)
            raise(static_cast<int>(sig));
    } else if (long long hang = env_num("FAKE_HANG_AFTER_EOF", 0); hang > 0) {
        for (long long i = 0; i < hang * 10; ++i)
            usleep(100000);
    }
    std::fprintf(stderr, "fake ffmpeg read %lld bytes\n", total);
    return static_cast<int>(env_num("FAKE_EXIT_CODE", 0));
}
