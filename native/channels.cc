#include "channels.h"

#include <algorithm>
#include <string>

#include "bindings.h"
#include "pool.h"  // Chunked

namespace nabla {
namespace {

// Elements of work below which a call stays on the calling thread.
constexpr long kGrain = 1L << 18;

long GrainRows(long length) { return std::max(1L, kGrain / std::max(1L, length)); }

}  // namespace

template <typename T>
void AddChannels(const T* a, const T* b, T* out, long outer, long channels, long inner) {
  Chunked(outer * channels, GrainRows(inner), [&](long lo, long hi) {
    for (long r = lo; r < hi; r++) {
      const T v = b[r % channels];
      const T* x = a + r * inner;
      T* o = out + r * inner;
      for (long j = 0; j < inner; j++) o[j] = x[j] + v;
    }
  });
}

template <typename T>
void SumChannels(const T* x, long outer, long channels, long inner, T* out) {
  Chunked(channels, GrainRows(outer * inner), [&](long lo, long hi) {
    for (long c = lo; c < hi; c++) {
      double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      long e = 0;  // the element's place in the channel's sequence
      for (long i = 0; i < outer; i++) {
        const T* p = x + (i * channels + c) * inner;
        long j = 0;
        // Align the next element to partial 0, then 8 at a time.
        for (; j < inner && (e & 7) != 0; j++, e++) part[e & 7] += p[j];
        for (; j + 8 <= inner; j += 8, e += 8)
          for (int q = 0; q < 8; q++) part[q] += p[j + q];
        for (; j < inner; j++, e++) part[e & 7] += p[j];
      }
      out[c] = static_cast<T>(((part[0] + part[1]) + (part[2] + part[3])) +
                              ((part[4] + part[5]) + (part[6] + part[7])));
    }
  });
}

template <typename T>
void ScatterAddRows(T* out, long rows, long width, const int32_t* index, long cols, const T* src) {
  Chunked(rows, GrainRows(cols), [&](long lo, long hi) {
    for (long r = lo; r < hi; r++) {
      T* o = out + r * width;
      const int32_t* at = index + r * cols;
      const T* s = src + r * cols;
      long j = 0;
      // Four indices read ahead of their adds: the adds to distinct places overlap.
      for (; j + 4 <= cols; j += 4) {
        const int32_t i0 = at[j], i1 = at[j + 1], i2 = at[j + 2], i3 = at[j + 3];
        o[i0] += s[j];
        o[i1] += s[j + 1];
        o[i2] += s[j + 2];
        o[i3] += s[j + 3];
      }
      for (; j < cols; j++) o[at[j]] += s[j];
    }
  });
}

template void AddChannels<float>(const float*, const float*, float*, long, long, long);
template void AddChannels<double>(const double*, const double*, double*, long, long, long);
template void SumChannels<float>(const float*, long, long, long, float*);
template void SumChannels<double>(const double*, long, long, long, double*);
template void ScatterAddRows<float>(float*, long, long, const int32_t*, long, const float*);
template void ScatterAddRows<double>(double*, long, long, const int32_t*, long, const double*);

namespace {

using bindings::Data;
using bindings::Fail;

// Argument i as a whole number in [0, 2^40), or false with a thrown error.
bool Size(const Napi::CallbackInfo& info, size_t i, const char* fn, long* out) {
  const double v = info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : -1;
  if (!(v >= 0 && v < 1099511627776.0 && v == static_cast<double>(static_cast<long>(v))))
    return Fail(info.Env(), std::string(fn) + ": argument " + std::to_string(i) +
                                " must be a whole number ≥ 0");
  *out = static_cast<long>(v);
  return true;
}

// Argument i as a typed array of `type` with at least `length` elements, or false.
bool Array(const Napi::CallbackInfo& info, size_t i, const char* fn, napi_typedarray_type type,
           double length) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != type)
    return Fail(info.Env(), std::string(fn) + ": argument " + std::to_string(i) +
                                " has the wrong type (float arrays of one type, Int32Array index)");
  if (static_cast<double>(info[i].As<Napi::TypedArray>().ElementLength()) < length)
    return Fail(info.Env(), std::string(fn) + ": argument " + std::to_string(i) + " is too short",
                true);
  return true;
}

// The float type of argument i (Float32Array or Float64Array), or false.
bool FloatType(const Napi::CallbackInfo& info, size_t i, const char* fn,
               napi_typedarray_type* type) {
  if (info[i].IsTypedArray()) {
    *type = info[i].As<Napi::TypedArray>().TypedArrayType();
    if (*type == napi_float32_array || *type == napi_float64_array) return true;
  }
  return Fail(info.Env(), std::string(fn) + ": expected a Float32Array or Float64Array");
}

// addChannels(a, b, out, outer, channels, inner)
Napi::Value AddChannelsJs(const Napi::CallbackInfo& info) {
  const char* fn = "addChannels";
  long outer, channels, inner;
  napi_typedarray_type t;
  if (!Size(info, 3, fn, &outer) || !Size(info, 4, fn, &channels) || !Size(info, 5, fn, &inner) ||
      !FloatType(info, 0, fn, &t))
    return info.Env().Undefined();
  const double size = static_cast<double>(outer) * channels * inner;
  if (!Array(info, 0, fn, t, size) || !Array(info, 1, fn, t, static_cast<double>(channels)) ||
      !Array(info, 2, fn, t, size))
    return info.Env().Undefined();
  if (t == napi_float32_array)
    AddChannels<float>(Data<float>(info[0]), Data<float>(info[1]), Data<float>(info[2]), outer,
                       channels, inner);
  else
    AddChannels<double>(Data<double>(info[0]), Data<double>(info[1]), Data<double>(info[2]), outer,
                        channels, inner);
  return info.Env().Undefined();
}

// sumChannels(x, outer, channels, inner, out)
Napi::Value SumChannelsJs(const Napi::CallbackInfo& info) {
  const char* fn = "sumChannels";
  long outer, channels, inner;
  napi_typedarray_type t;
  if (!Size(info, 1, fn, &outer) || !Size(info, 2, fn, &channels) || !Size(info, 3, fn, &inner) ||
      !FloatType(info, 0, fn, &t))
    return info.Env().Undefined();
  if (!Array(info, 0, fn, t, static_cast<double>(outer) * channels * inner) ||
      !Array(info, 4, fn, t, static_cast<double>(channels)))
    return info.Env().Undefined();
  if (t == napi_float32_array)
    SumChannels<float>(Data<float>(info[0]), outer, channels, inner, Data<float>(info[4]));
  else SumChannels<double>(Data<double>(info[0]), outer, channels, inner, Data<double>(info[4]));
  return info.Env().Undefined();
}

// scatterAddRows(out, rows, width, index, cols, src): every index checked to lie in [0, width).
Napi::Value ScatterAddRowsJs(const Napi::CallbackInfo& info) {
  const char* fn = "scatterAddRows";
  long rows, width, cols;
  napi_typedarray_type t;
  if (!Size(info, 1, fn, &rows) || !Size(info, 2, fn, &width) || !Size(info, 4, fn, &cols) ||
      !FloatType(info, 0, fn, &t))
    return info.Env().Undefined();
  const double size = static_cast<double>(rows) * cols;
  if (!Array(info, 0, fn, t, static_cast<double>(rows) * width) ||
      !Array(info, 3, fn, napi_int32_array, size) || !Array(info, 5, fn, t, size))
    return info.Env().Undefined();
  const int32_t* index = Data<int32_t>(info[3]);
  // One unsigned comparison per index (a negative one wraps above width), without a branch, so
  // that the check vectorizes: it costs a tenth of the scatter, not as much.
  const uint32_t limit = static_cast<uint32_t>(std::min(width, 2147483648L));
  uint32_t outside = 0;
  for (long i = 0; i < rows * cols; i++)
    outside |= static_cast<uint32_t>(static_cast<uint32_t>(index[i]) >= limit);
  if (outside != 0) {
    Fail(info.Env(), std::string(fn) + ": an index lies outside [0, " + std::to_string(width) + ")",
         true);
    return info.Env().Undefined();
  }
  if (t == napi_float32_array)
    ScatterAddRows<float>(Data<float>(info[0]), rows, width, index, cols, Data<float>(info[5]));
  else
    ScatterAddRows<double>(Data<double>(info[0]), rows, width, index, cols, Data<double>(info[5]));
  return info.Env().Undefined();
}

}  // namespace

void RegisterChannels(Napi::Env env, Napi::Object exports) {
  exports.Set("addChannels", Napi::Function::New(env, AddChannelsJs, "addChannels"));
  exports.Set("sumChannels", Napi::Function::New(env, SumChannelsJs, "sumChannels"));
  exports.Set("scatterAddRows", Napi::Function::New(env, ScatterAddRowsJs, "scatterAddRows"));
}

}  // namespace nabla
