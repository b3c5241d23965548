// Single-threaded stand-ins for the parts of the C++ thread support library
// that Debian's wasm32 libc++ omits (it is configured with
// _LIBCPP_HAS_NO_THREADS) but that LLVM/clang still name even when built with
// LLVM_ENABLE_THREADS=OFF.
//
// A wasm32-wasi (preview 1) program has exactly one thread, so a mutex never
// contends, a condition variable can never be signalled by anyone else, and a
// future can only be satisfied by running its task in the caller. Everything
// here is header-only and lives in libc++'s own std namespace, so code that
// names std::mutex, std::unique_lock, std::promise ... compiles unchanged.
//
// Included (after the real libc++ header) by the wrapper headers <mutex>,
// <shared_mutex>, <condition_variable>, <future> and <thread> in this
// directory, which must come first on the include path (-isystem).
#ifndef BPFPLAY_NOTHREADS_H
#define BPFPLAY_NOTHREADS_H

#include <__config>

#if defined(_LIBCPP_HAS_NO_THREADS)

#include <chrono>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

_LIBCPP_BEGIN_NAMESPACE_STD

// Something that would block forever in a single-threaded program.
[[noreturn]] inline void __bpfplay_deadlock() { __builtin_trap(); }

// ---- mutexes ---------------------------------------------------------------
// Each mutex tracks whether it is held so that misuse (re-locking a
// non-recursive mutex, which would deadlock with real threads) traps instead
// of silently succeeding.
class mutex {
  bool __held_ = false;
public:
  constexpr mutex() noexcept = default;
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;
  void lock() { if (__held_) __bpfplay_deadlock(); __held_ = true; }
  bool try_lock() noexcept { if (__held_) return false; __held_ = true; return true; }
  void unlock() noexcept { __held_ = false; }
};

class recursive_mutex {
  unsigned __depth_ = 0;
public:
  constexpr recursive_mutex() noexcept = default;
  recursive_mutex(const recursive_mutex&) = delete;
  recursive_mutex& operator=(const recursive_mutex&) = delete;
  void lock() { ++__depth_; }
  bool try_lock() noexcept { ++__depth_; return true; }
  void unlock() noexcept { --__depth_; }
};

class timed_mutex : public mutex {
public:
  template <class _Rep, class _Period>
  bool try_lock_for(const chrono::duration<_Rep, _Period>&) { return try_lock(); }
  template <class _Clock, class _Duration>
  bool try_lock_until(const chrono::time_point<_Clock, _Duration>&) { return try_lock(); }
};

class recursive_timed_mutex : public recursive_mutex {
public:
  template <class _Rep, class _Period>
  bool try_lock_for(const chrono::duration<_Rep, _Period>&) { return try_lock(); }
  template <class _Clock, class _Duration>
  bool try_lock_until(const chrono::time_point<_Clock, _Duration>&) { return try_lock(); }
};

class shared_mutex {
  int __state_ = 0; // -1 exclusive, >0 shared count
public:
  constexpr shared_mutex() noexcept = default;
  shared_mutex(const shared_mutex&) = delete;
  shared_mutex& operator=(const shared_mutex&) = delete;
  void lock() { if (__state_ != 0) __bpfplay_deadlock(); __state_ = -1; }
  bool try_lock() { if (__state_ != 0) return false; __state_ = -1; return true; }
  void unlock() { __state_ = 0; }
  void lock_shared() { if (__state_ < 0) __bpfplay_deadlock(); ++__state_; }
  bool try_lock_shared() { if (__state_ < 0) return false; ++__state_; return true; }
  void unlock_shared() { --__state_; }
};

class shared_timed_mutex : public shared_mutex {
public:
  template <class _Rep, class _Period>
  bool try_lock_for(const chrono::duration<_Rep, _Period>&) { return try_lock(); }
  template <class _Rep, class _Period>
  bool try_lock_shared_for(const chrono::duration<_Rep, _Period>&) { return try_lock_shared(); }
};

// ---- lock owners -------------------------------------------------------------
template <class _Mutex>
class unique_lock {
  _Mutex* __m_ = nullptr;
  bool __owns_ = false;
public:
  typedef _Mutex mutex_type;
  unique_lock() noexcept = default;
  explicit unique_lock(mutex_type& __m) : __m_(std::addressof(__m)), __owns_(true) { __m_->lock(); }
  unique_lock(mutex_type& __m, defer_lock_t) noexcept : __m_(std::addressof(__m)) {}
  unique_lock(mutex_type& __m, try_to_lock_t) : __m_(std::addressof(__m)), __owns_(__m.try_lock()) {}
  unique_lock(mutex_type& __m, adopt_lock_t) : __m_(std::addressof(__m)), __owns_(true) {}
  ~unique_lock() { if (__owns_) __m_->unlock(); }
  unique_lock(const unique_lock&) = delete;
  unique_lock& operator=(const unique_lock&) = delete;
  unique_lock(unique_lock&& __u) noexcept : __m_(__u.__m_), __owns_(__u.__owns_) { __u.__m_ = nullptr; __u.__owns_ = false; }
  unique_lock& operator=(unique_lock&& __u) noexcept {
    if (__owns_) __m_->unlock();
    __m_ = __u.__m_; __owns_ = __u.__owns_;
    __u.__m_ = nullptr; __u.__owns_ = false;
    return *this;
  }
  void lock() { __m_->lock(); __owns_ = true; }
  bool try_lock() { return __owns_ = __m_->try_lock(); }
  void unlock() { __m_->unlock(); __owns_ = false; }
  void swap(unique_lock& __u) noexcept { std::swap(__m_, __u.__m_); std::swap(__owns_, __u.__owns_); }
  mutex_type* release() noexcept { mutex_type* __m = __m_; __m_ = nullptr; __owns_ = false; return __m; }
  bool owns_lock() const noexcept { return __owns_; }
  explicit operator bool() const noexcept { return __owns_; }
  mutex_type* mutex() const noexcept { return __m_; }
};

template <class _Mutex>
class shared_lock {
  _Mutex* __m_ = nullptr;
  bool __owns_ = false;
public:
  typedef _Mutex mutex_type;
  shared_lock() noexcept = default;
  explicit shared_lock(mutex_type& __m) : __m_(std::addressof(__m)), __owns_(true) { __m_->lock_shared(); }
  shared_lock(mutex_type& __m, defer_lock_t) noexcept : __m_(std::addressof(__m)) {}
  shared_lock(mutex_type& __m, try_to_lock_t) : __m_(std::addressof(__m)), __owns_(__m.try_lock_shared()) {}
  shared_lock(mutex_type& __m, adopt_lock_t) : __m_(std::addressof(__m)), __owns_(true) {}
  ~shared_lock() { if (__owns_) __m_->unlock_shared(); }
  shared_lock(const shared_lock&) = delete;
  shared_lock& operator=(const shared_lock&) = delete;
  shared_lock(shared_lock&& __u) noexcept : __m_(__u.__m_), __owns_(__u.__owns_) { __u.__m_ = nullptr; __u.__owns_ = false; }
  shared_lock& operator=(shared_lock&& __u) noexcept {
    if (__owns_) __m_->unlock_shared();
    __m_ = __u.__m_; __owns_ = __u.__owns_;
    __u.__m_ = nullptr; __u.__owns_ = false;
    return *this;
  }
  void lock() { __m_->lock_shared(); __owns_ = true; }
  bool try_lock() { return __owns_ = __m_->try_lock_shared(); }
  void unlock() { __m_->unlock_shared(); __owns_ = false; }
  bool owns_lock() const noexcept { return __owns_; }
  explicit operator bool() const noexcept { return __owns_; }
  mutex_type* mutex() const noexcept { return __m_; }
};

template <class... _Mutexes>
class scoped_lock {
  tuple<_Mutexes&...> __t_;
public:
  explicit scoped_lock(_Mutexes&... __m) : __t_(__m...) { (__m.lock(), ...); }
  scoped_lock(adopt_lock_t, _Mutexes&... __m) : __t_(__m...) {}
  ~scoped_lock() { std::apply([](auto&... __m) { (__m.unlock(), ...); }, __t_); }
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;
};

template <class _L0, class _L1, class... _Ls>
void lock(_L0& __l0, _L1& __l1, _Ls&... __ls) { __l0.lock(); __l1.lock(); (__ls.lock(), ...); }

template <class _L0, class _L1, class... _Ls>
int try_lock(_L0& __l0, _L1& __l1, _Ls&... __ls) {
  // -1 on success, else the index of the first lock that could not be taken
  // (the ones before it are released again).
  if (!__l0.try_lock()) return 0;
  if constexpr (sizeof...(_Ls) == 0) {
    if (!__l1.try_lock()) { __l0.unlock(); return 1; }
    return -1;
  } else {
    int __r = std::try_lock(__l1, __ls...);
    if (__r != -1) { __l0.unlock(); return __r + 1; }
    return -1;
  }
}

// ---- condition variables -----------------------------------------------------
enum class cv_status { no_timeout, timeout };

// Nobody else can notify, so an untimed wait whose predicate is false can
// never end: trap instead of hanging. Timed waits time out immediately.
class condition_variable {
public:
  constexpr condition_variable() noexcept = default;
  condition_variable(const condition_variable&) = delete;
  condition_variable& operator=(const condition_variable&) = delete;
  void notify_one() noexcept {}
  void notify_all() noexcept {}
  void wait(unique_lock<mutex>&) { __bpfplay_deadlock(); }
  template <class _Pred>
  void wait(unique_lock<mutex>&, _Pred __p) { if (!__p()) __bpfplay_deadlock(); }
  template <class _Rep, class _Period>
  cv_status wait_for(unique_lock<mutex>&, const chrono::duration<_Rep, _Period>&) { return cv_status::timeout; }
  template <class _Rep, class _Period, class _Pred>
  bool wait_for(unique_lock<mutex>&, const chrono::duration<_Rep, _Period>&, _Pred __p) { return __p(); }
  template <class _Clock, class _Duration>
  cv_status wait_until(unique_lock<mutex>&, const chrono::time_point<_Clock, _Duration>&) { return cv_status::timeout; }
  template <class _Clock, class _Duration, class _Pred>
  bool wait_until(unique_lock<mutex>&, const chrono::time_point<_Clock, _Duration>&, _Pred __p) { return __p(); }
};

class condition_variable_any {
public:
  condition_variable_any() = default;
  condition_variable_any(const condition_variable_any&) = delete;
  condition_variable_any& operator=(const condition_variable_any&) = delete;
  void notify_one() noexcept {}
  void notify_all() noexcept {}
  template <class _Lock> void wait(_Lock&) { __bpfplay_deadlock(); }
  template <class _Lock, class _Pred> void wait(_Lock&, _Pred __p) { if (!__p()) __bpfplay_deadlock(); }
  template <class _Lock, class _Rep, class _Period>
  cv_status wait_for(_Lock&, const chrono::duration<_Rep, _Period>&) { return cv_status::timeout; }
  template <class _Lock, class _Rep, class _Period, class _Pred>
  bool wait_for(_Lock&, const chrono::duration<_Rep, _Period>&, _Pred __p) { return __p(); }
  template <class _Lock, class _Clock, class _Duration>
  cv_status wait_until(_Lock&, const chrono::time_point<_Clock, _Duration>&) { return cv_status::timeout; }
  template <class _Lock, class _Clock, class _Duration, class _Pred>
  bool wait_until(_Lock&, const chrono::time_point<_Clock, _Duration>&, _Pred __p) { return __p(); }
};

// ---- threads -----------------------------------------------------------------
// There is only the main thread. Creating another one is a program error here.
class thread {
public:
  class id {
    unsigned __v_ = 0;
    explicit id(unsigned __v) : __v_(__v) {}
    friend class thread;
    friend id __bpfplay_this_thread_id() noexcept;
  public:
    id() noexcept = default;
    friend bool operator==(id __a, id __b) noexcept { return __a.__v_ == __b.__v_; }
    friend bool operator!=(id __a, id __b) noexcept { return __a.__v_ != __b.__v_; }
    friend bool operator<(id __a, id __b) noexcept { return __a.__v_ < __b.__v_; }
  };
  typedef unsigned native_handle_type;
  thread() noexcept = default;
  template <class _Fp, class... _Args>
  explicit thread(_Fp&&, _Args&&...) { std::abort(); }
  thread(thread&&) noexcept = default;
  thread& operator=(thread&&) noexcept = default;
  bool joinable() const noexcept { return false; }
  void join() {}
  void detach() {}
  id get_id() const noexcept { return id(); }
  native_handle_type native_handle() { return 0; }
  static unsigned hardware_concurrency() noexcept { return 1; }
};

inline thread::id __bpfplay_this_thread_id() noexcept { return thread::id(1); }

namespace this_thread {
inline thread::id get_id() noexcept { return __bpfplay_this_thread_id(); }
inline void yield() noexcept {}
template <class _Rep, class _Period>
void sleep_for(const chrono::duration<_Rep, _Period>&) {}
template <class _Clock, class _Duration>
void sleep_until(const chrono::time_point<_Clock, _Duration>&) {}
} // namespace this_thread

// ---- futures -----------------------------------------------------------------
// A shared state holds either a value, an exception, or a deferred task that
// produces one on first get()/wait().
enum class future_status { ready, timeout, deferred };
enum class launch { async = 1, deferred = 2, any = async | deferred };

template <class _Tp>
struct __bpfplay_fstate {
  using __self_type = _Tp; // (also a non-deduced context for promise<T&>::set_value)
  using __stored = conditional_t<is_void_v<_Tp>, bool, conditional_t<is_reference_v<_Tp>, add_pointer_t<remove_reference_t<_Tp>>, _Tp>>;
  optional<__stored> __value_;
  exception_ptr __exc_;
  function<_Tp()> __deferred_;
  void __run() {
    if (__value_ || __exc_ || !__deferred_) return;
    auto __f = std::move(__deferred_);
    __deferred_ = nullptr;
#ifndef _LIBCPP_HAS_NO_EXCEPTIONS
    try {
#endif
      if constexpr (is_void_v<_Tp>) { __f(); __value_.emplace(true); }
      else if constexpr (is_reference_v<_Tp>) __value_.emplace(std::addressof(__f()));
      else __value_.emplace(__f());
#ifndef _LIBCPP_HAS_NO_EXCEPTIONS
    } catch (...) { __exc_ = current_exception(); }
#endif
  }
  bool __ready() const { return __value_.has_value() || __exc_ != nullptr; }
  void __wait() { __run(); if (!__ready()) __bpfplay_deadlock(); }
  add_lvalue_reference_t<conditional_t<is_void_v<_Tp>, bool, __stored>> __get() {
    __wait();
    if (__exc_) rethrow_exception(__exc_);
    return *__value_;
  }
};

template <class _Tp> class shared_future;

template <class _Tp>
class future {
  shared_ptr<__bpfplay_fstate<_Tp>> __s_;
  template <class> friend class shared_future;
public:
  // Not standard: how promise and async hand a future its shared state.
  explicit future(shared_ptr<__bpfplay_fstate<_Tp>> __s) : __s_(std::move(__s)) {}
  future() noexcept = default;
  future(future&&) noexcept = default;
  future& operator=(future&&) noexcept = default;
  future(const future&) = delete;
  future& operator=(const future&) = delete;
  bool valid() const noexcept { return __s_ != nullptr; }
  void wait() const { __s_->__wait(); }
  template <class _Rep, class _Period>
  future_status wait_for(const chrono::duration<_Rep, _Period>&) const {
    return __s_->__ready() ? future_status::ready : (__s_->__deferred_ ? future_status::deferred : future_status::timeout);
  }
  shared_future<_Tp> share() noexcept { return shared_future<_Tp>(std::move(*this)); }
  _Tp get() {
    auto __s = std::move(__s_);
    if constexpr (is_void_v<_Tp>) { __s->__get(); }
    else if constexpr (is_reference_v<_Tp>) { return *__s->__get(); }
    else { return std::move(__s->__get()); }
  }
};

template <class _Tp>
class shared_future {
  shared_ptr<__bpfplay_fstate<_Tp>> __s_;
public:
  shared_future() noexcept = default;
  shared_future(const shared_future&) = default;
  shared_future(shared_future&&) noexcept = default;
  shared_future(future<_Tp>&& __f) noexcept : __s_(std::move(__f.__s_)) {}
  shared_future& operator=(const shared_future&) = default;
  shared_future& operator=(shared_future&&) noexcept = default;
  bool valid() const noexcept { return __s_ != nullptr; }
  void wait() const { __s_->__wait(); }
  template <class _Rep, class _Period>
  future_status wait_for(const chrono::duration<_Rep, _Period>&) const {
    return __s_->__ready() ? future_status::ready : (__s_->__deferred_ ? future_status::deferred : future_status::timeout);
  }
  decltype(auto) get() const {
    if constexpr (is_void_v<_Tp>) { __s_->__get(); }
    else if constexpr (is_reference_v<_Tp>) { return static_cast<_Tp>(*__s_->__get()); }
    else { return static_cast<const _Tp&>(__s_->__get()); }
  }
};

template <class _Tp>
class promise {
  shared_ptr<__bpfplay_fstate<_Tp>> __s_ = make_shared<__bpfplay_fstate<_Tp>>();
public:
  promise() = default;
  promise(promise&&) noexcept = default;
  promise& operator=(promise&&) noexcept = default;
  promise(const promise&) = delete;
  promise& operator=(const promise&) = delete;
  void swap(promise& __p) noexcept { __s_.swap(__p.__s_); }
  future<_Tp> get_future() { return future<_Tp>(__s_); }
  template <class _Up = _Tp, enable_if_t<is_void_v<_Up>, int> = 0>
  void set_value() { __s_->__value_.emplace(true); }
  template <class _Up, class _V = _Tp, enable_if_t<!is_void_v<_V> && !is_reference_v<_V>, int> = 0>
  void set_value(_Up&& __v) { __s_->__value_.emplace(std::forward<_Up>(__v)); }
  template <class _V = _Tp, enable_if_t<is_reference_v<_V>, int> = 0>
  void set_value(typename __bpfplay_fstate<_V>::__self_type __v) { __s_->__value_.emplace(std::addressof(__v)); }
  void set_exception(exception_ptr __e) { __s_->__exc_ = std::move(__e); }
};

// Every launch policy runs deferred: the task runs in the thread that first
// waits on the result, which is the only thread there is.
template <class _Fp, class... _Args>
auto async(launch, _Fp&& __f, _Args&&... __args) {
  using _Rp = invoke_result_t<decay_t<_Fp>, decay_t<_Args>...>;
  auto __s = make_shared<__bpfplay_fstate<_Rp>>();
  __s->__deferred_ = [__fn = std::forward<_Fp>(__f), __tup = std::make_tuple(std::forward<_Args>(__args)...)]() mutable -> _Rp {
    return std::apply(std::move(__fn), std::move(__tup));
  };
  return future<_Rp>(std::move(__s));
}

template <class _Fp, class... _Args>
auto async(_Fp&& __f, _Args&&... __args) {
  return std::async(launch::deferred, std::forward<_Fp>(__f), std::forward<_Args>(__args)...);
}

_LIBCPP_END_NAMESPACE_STD

#endif // _LIBCPP_HAS_NO_THREADS
#endif // BPFPLAY_NOTHREADS_H
