// libfuzzer-bridge: runs libFuzzer in this process and each input in a .NET process that
// serves SharpFuzz's libFuzzer protocol (SharpFuzz.Fuzzer.LibFuzzer.Run), started once.
//
// The .NET side expects, in its environment:
//   __LIBFUZZER_SHM_ID           a System V shared memory id: a 64 KiB edge map that the
//                                instrumented code counts into, then the input bytes;
//   __LIBFUZZER_CONTROL_PIPE_ID  a descriptor it reads each input's length from (int32);
//   __LIBFUZZER_STATUS_PIPE_ID   a descriptor it writes an int32 to: once when ready, then
//                                after each input (0 = fine, anything else = crash, after
//                                which it prints the exception and exits).
// After each input the edge map is copied into libFuzzer's extra counters, which is how the
// coverage of the managed code guides the mutations.
//
// The .NET command line comes from FOSSILSYNC_FUZZ_COMMAND (run by /bin/sh).
// Build: clang++ -O2 -fsanitize=fuzzer libfuzzer-bridge.cc -o libfuzzer-bridge

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr size_t kEdgeMapSize = 1 << 16;   // SharpFuzz's map size
constexpr size_t kMaxInputSize = 1 << 20;  // room after the map; use -max_len below this

uint8_t* g_shared = nullptr;
int g_control = -1;
int g_status = -1;
pid_t g_child = -1;

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void StopChild() {
  if (g_child > 0) {
    kill(g_child, SIGKILL);
    waitpid(g_child, nullptr, 0);
    g_child = -1;
  }
}

[[noreturn]] void Die(const char* why) {
  fprintf(stderr, "libfuzzer-bridge: %s\n", why);
  StopChild();
  _exit(1);
}

}  // namespace

// libFuzzer treats every byte of this section as a coverage counter.
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t g_counters[kEdgeMapSize];

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* command = getenv("FOSSILSYNC_FUZZ_COMMAND");
  if (command == nullptr || *command == '\0') Die("set FOSSILSYNC_FUZZ_COMMAND to the .NET target's command line");

  int shm = shmget(IPC_PRIVATE, kEdgeMapSize + kMaxInputSize, IPC_CREAT | IPC_EXCL | 0600);
  if (shm < 0) Die("shmget failed");
  void* address = shmat(shm, nullptr, 0);
  if (address == reinterpret_cast<void*>(-1)) Die("shmat failed");
  g_shared = static_cast<uint8_t*>(address);

  int control[2], status[2];
  if (pipe(control) != 0 || pipe(status) != 0) Die("pipe failed");

  g_child = fork();
  if (g_child < 0) Die("fork failed");
  if (g_child == 0) {
    close(control[1]);
    close(status[0]);
    setenv("__LIBFUZZER_SHM_ID", std::to_string(shm).c_str(), 1);
    setenv("__LIBFUZZER_CONTROL_PIPE_ID", std::to_string(control[0]).c_str(), 1);
    setenv("__LIBFUZZER_STATUS_PIPE_ID", std::to_string(status[1]).c_str(), 1);
    execl("/bin/sh", "sh", "-c", command, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(control[0]);
  close(status[1]);
  g_control = control[1];
  g_status = status[0];
  signal(SIGPIPE, SIG_IGN);

  int32_t ready = 0;
  if (!ReadAll(g_status, &ready, sizeof ready)) Die("the .NET target exited before it was ready");
  // Both processes are attached: the segment goes away when the last one detaches.
  shmctl(shm, IPC_RMID, nullptr);
  atexit(StopChild);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputSize) return 0;
  memset(g_shared, 0, kEdgeMapSize);
  memcpy(g_shared + kEdgeMapSize, data, size);
  int32_t length = static_cast<int32_t>(size);
  if (!WriteAll(g_control, &length, sizeof length)) Die("the .NET target is gone");
  int32_t result = 0;
  if (!ReadAll(g_status, &result, sizeof result)) {
    fprintf(stderr, "libfuzzer-bridge: the .NET target died on this input\n");
    abort();
  }
  memcpy(g_counters, g_shared, kEdgeMapSize);
  if (result != 0) {
    fprintf(stderr, "libfuzzer-bridge: the .NET target failed on this input (its exception is above)\n");
    abort();
  }
  return 0;
}
