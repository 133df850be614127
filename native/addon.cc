// Node-API entry point: argument checking and conversion, then the kernels.
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "bindings.h"
#include "channels.h"
#include "cpu.h"
#include "elementwise.h"
#include "gemm.h"
#include "interrupt.h"
#include "memory.h"
#include "pool.h"

namespace {

using nabla::ActiveKernels;
using nabla::bindings::Data;
using nabla::bindings::Fail;
using nabla::bindings::Field;
using nabla::bindings::FloatArrays;

Napi::Value Cpu(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const nabla::CpuFeatures f = nabla::DetectCpu();
  Napi::Object o = Napi::Object::New(env);
  o.Set("kernel", ActiveKernels().name);
  o.Set("avx512f", f.avx512f);
  o.Set("avx2", f.avx2);
  o.Set("fma", f.fma);
  o.Set("threads", nabla::GetThreads());
  return o;
}

// A non-negative integer argument, or a thrown TypeError naming it.
bool Count(const Napi::CallbackInfo& info, size_t i, const char* what, long max, long* out) {
  const Napi::Value v = info[i];
  if (!v.IsNumber()) {
    Napi::TypeError::New(info.Env(), std::string("nabla native: ") + what + " must be a number")
        .ThrowAsJavaScriptException();
    return false;
  }
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= static_cast<double>(max) && std::floor(d) == d)) {
    Napi::RangeError::New(info.Env(), std::string("nabla native: ") + what +
                                          " must be an integer in [0, " + std::to_string(max) +
                                          "], got " + std::to_string(d))
        .ThrowAsJavaScriptException();
    return false;
  }
  *out = static_cast<long>(d);
  return true;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  long n = 0;
  if (!Count(info, 0, "threads", 1024, &n)) return info.Env().Undefined();
  if (n < 1) {
    Napi::RangeError::New(info.Env(), "nabla native: threads must be at least 1")
        .ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  nabla::SetThreads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), nabla::GetThreads());
}

// setKernel('avx512' | 'avx2' | 'generic'): forces a kernel set (for tests and benchmarks).
Napi::Value SetKernel(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    Napi::TypeError::New(env, "nabla native: setKernel expects 'avx512', 'avx2' or 'generic'")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  const nabla::KernelSet* s = nabla::UsableKernels(name.c_str());
  if (s == nullptr) {
    Napi::Error::New(env, "nabla native: kernel '" + name + "' is not available on this CPU/build")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  nabla::SelectKernels(s);
  return env.Undefined();
}

// The largest element index a batched operand touches, plus one.
double Extent(long batch, long stride, long rows, long cols) {
  return static_cast<double>(batch - 1) * stride + static_cast<double>(rows) * cols;
}

template <typename T>
void RunMatmul(bool sum, Napi::TypedArray a, Napi::TypedArray b, Napi::TypedArray out, long batch,
               long m, long n, long k, bool transA, bool transB, long as, long bs) {
  auto ptr = [](Napi::TypedArray x) {
    return reinterpret_cast<T*>(static_cast<uint8_t*>(x.ArrayBuffer().Data()) + x.ByteOffset());
  };
  auto run = sum ? nabla::MatmulSum<T> : nabla::Matmul<T>;
  run(ptr(a), ptr(b), ptr(out), batch, m, n, k, transA, transB, as, bs);
}

// matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride), and matmulSum
// with the same arguments (out m×n: the products summed over the batch).
Napi::Value MatmulOrSum(const Napi::CallbackInfo& info, bool sum) {
  const std::string name = sum ? "matmulSum" : "matmul";
  const Napi::Env env = info.Env();
  const Napi::Value undef = env.Undefined();
  if (info.Length() < 11 || !info[0].IsTypedArray() || !info[1].IsTypedArray() ||
      !info[2].IsTypedArray()) {
    Napi::TypeError::New(env,
                         "nabla native: " + name +
                             "(a, b, out, batch, m, n, k, transA, transB, "
                             "aBatchStride, bBatchStride) expects three typed arrays and 8 more "
                             "arguments")
        .ThrowAsJavaScriptException();
    return undef;
  }
  const Napi::TypedArray a = info[0].As<Napi::TypedArray>();
  const Napi::TypedArray b = info[1].As<Napi::TypedArray>();
  const Napi::TypedArray out = info[2].As<Napi::TypedArray>();
  const napi_typedarray_type type = a.TypedArrayType();
  if ((type != napi_float32_array && type != napi_float64_array) || b.TypedArrayType() != type ||
      out.TypedArrayType() != type) {
    Napi::TypeError::New(env, "nabla native: " + name +
                                  " needs a, b and out all Float32Array or all "
                                  "Float64Array")
        .ThrowAsJavaScriptException();
    return undef;
  }
  constexpr long kMax = 1L << 40;
  long batch, m, n, k, as, bs;
  if (!Count(info, 3, "batch", kMax, &batch) || !Count(info, 4, "m", kMax, &m) ||
      !Count(info, 5, "n", kMax, &n) || !Count(info, 6, "k", kMax, &k) ||
      !Count(info, 9, "aBatchStride", kMax, &as) || !Count(info, 10, "bBatchStride", kMax, &bs))
    return undef;
  const bool transA = info[7].ToBoolean().Value();
  const bool transB = info[8].ToBoolean().Value();
  const long outSize = (sum ? 1 : batch) * m * n;
  if (outSize == 0) return undef;
  if (static_cast<double>(outSize) > static_cast<double>(out.ElementLength())) {
    Napi::RangeError::New(env, "nabla native: " + name + " out has " +
                                   std::to_string(out.ElementLength()) + " elements, needs " +
                                   std::to_string(outSize))
        .ThrowAsJavaScriptException();
    return undef;
  }
  if (batch > 0 && k > 0 &&
      (Extent(batch, as, m, k) > static_cast<double>(a.ElementLength()) ||
       Extent(batch, bs, k, n) > static_cast<double>(b.ElementLength()))) {
    Napi::RangeError::New(env, "nabla native: " + name + " operand too short for batch " +
                                   std::to_string(batch) + ", m " + std::to_string(m) + ", n " +
                                   std::to_string(n) + ", k " + std::to_string(k) +
                                   " and its strides")
        .ThrowAsJavaScriptException();
    return undef;
  }
  if (type == napi_float32_array)
    RunMatmul<float>(sum, a, b, out, batch, m, n, k, transA, transB, as, bs);
  else RunMatmul<double>(sum, a, b, out, batch, m, n, k, transA, transB, as, bs);
  return undef;
}

Napi::Value Matmul(const Napi::CallbackInfo& info) { return MatmulOrSum(info, false); }
Napi::Value MatmulSum(const Napi::CallbackInfo& info) { return MatmulOrSum(info, true); }

// unary(op: 'tanh' | 'exp' | 'relu' | 'sigmoid', x, out)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::string op = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  nabla::UnaryOp code;
  if (op == "tanh") code = nabla::UnaryOp::kTanh;
  else if (op == "exp") code = nabla::UnaryOp::kExp;
  else if (op == "relu") code = nabla::UnaryOp::kRelu;
  else if (op == "sigmoid") code = nabla::UnaryOp::kSigmoid;
  else {
    Fail(env, "unary: op must be 'tanh', 'exp', 'relu' or 'sigmoid', got '" + op + "'");
    return env.Undefined();
  }
  napi_typedarray_type type;
  if (!FloatArrays(info, "unary", 1, 2, -1, &type)) return env.Undefined();
  const Napi::TypedArray x = info[1].As<Napi::TypedArray>(), out = info[2].As<Napi::TypedArray>();
  const long n = static_cast<long>(x.ElementLength());
  if (type == napi_float32_array) nabla::Unary<float>(code, Data<float>(x), Data<float>(out), n);
  else nabla::Unary<double>(code, Data<double>(x), Data<double>(out), n);
  return env.Undefined();
}

// The op of binarySame / binaryRow, or false with a thrown TypeError.
bool BinaryCode(const Napi::CallbackInfo& info, const char* fn, nabla::BinaryOp* code) {
  const std::string op = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (op == "add") *code = nabla::BinaryOp::kAdd;
  else if (op == "sub") *code = nabla::BinaryOp::kSub;
  else if (op == "mul") *code = nabla::BinaryOp::kMul;
  else if (op == "div") *code = nabla::BinaryOp::kDiv;
  else if (op == "tanhGrad") *code = nabla::BinaryOp::kTanhGrad;
  else if (op == "sigmoidGrad") *code = nabla::BinaryOp::kSigmoidGrad;
  else if (op == "reluGrad") *code = nabla::BinaryOp::kReluGrad;
  else
    return Fail(info.Env(), std::string(fn) +
                                ": op must be 'add', 'sub', 'mul', 'div', 'tanhGrad', "
                                "'sigmoidGrad' or 'reluGrad', got '" +
                                op + "'");
  return true;
}

// binarySame(op, a, b, out): equal lengths, no broadcasting.
Napi::Value BinarySame(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  nabla::BinaryOp code;
  if (!BinaryCode(info, "binarySame", &code)) return env.Undefined();
  napi_typedarray_type type;
  if (!FloatArrays(info, "binarySame", 1, 3, -1, &type)) return env.Undefined();
  const Napi::TypedArray a = info[1].As<Napi::TypedArray>(), b = info[2].As<Napi::TypedArray>(),
                         out = info[3].As<Napi::TypedArray>();
  const long n = static_cast<long>(a.ElementLength());
  if (type == napi_float32_array)
    nabla::BinarySame<float>(code, Data<float>(a), Data<float>(b), Data<float>(out), n);
  else nabla::BinarySame<double>(code, Data<double>(a), Data<double>(b), Data<double>(out), n);
  return env.Undefined();
}

// binaryRow(op, a, b, out, rows, cols): a and out rows × cols, b one row of cols broadcast over
// the rows; out may be a.
Napi::Value BinaryRow(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  nabla::BinaryOp code;
  if (!BinaryCode(info, "binaryRow", &code)) return env.Undefined();
  long rows, cols;
  if (!Count(info, 4, "rows", 1L << 40, &rows) || !Count(info, 5, "cols", 1L << 40, &cols))
    return env.Undefined();
  napi_typedarray_type type;
  const double size = static_cast<double>(rows) * cols;
  if (!FloatArrays(info, "binaryRow", 1, 1, size, &type) ||
      !FloatArrays(info, "binaryRow", 2, 1, static_cast<double>(cols), &type) ||
      !FloatArrays(info, "binaryRow", 3, 1, size, &type))
    return env.Undefined();
  const Napi::TypedArray a = info[1].As<Napi::TypedArray>(), b = info[2].As<Napi::TypedArray>(),
                         out = info[3].As<Napi::TypedArray>();
  if (b.TypedArrayType() != a.TypedArrayType() || out.TypedArrayType() != a.TypedArrayType()) {
    Fail(env, "binaryRow: all arrays must have the same type");
    return env.Undefined();
  }
  if (type == napi_float32_array)
    nabla::BinaryRow<float>(code, Data<float>(a), Data<float>(b), Data<float>(out), rows, cols);
  else
    nabla::BinaryRow<double>(code, Data<double>(a), Data<double>(b), Data<double>(out), rows, cols);
  return env.Undefined();
}

// (x, rows, cols, out) kernels: sumRows (out: rows), sumAxis0 (out: cols), logSoftmaxRows (out:
// rows × cols).
template <void (*F32)(const float*, long, long, float*),
          void (*F64)(const double*, long, long, double*), int kOut>
Napi::Value RowsCols(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  long rows, cols;
  if (!Count(info, 1, "rows", 1L << 40, &rows) || !Count(info, 2, "cols", 1L << 40, &cols))
    return env.Undefined();
  napi_typedarray_type type;
  const double outLength = kOut == 0 ? rows : kOut == 1 ? cols : static_cast<double>(rows) * cols;
  if (!info[0].IsTypedArray() || !info[3].IsTypedArray()) {
    Fail(env, "expected (x, rows, cols, out) with typed arrays x and out");
    return env.Undefined();
  }
  const Napi::TypedArray x = info[0].As<Napi::TypedArray>(), out = info[3].As<Napi::TypedArray>();
  if (!FloatArrays(info, "reduction", 0, 1, static_cast<double>(rows) * cols, &type))
    return env.Undefined();
  if (out.TypedArrayType() != type) {
    Fail(env, "x and out must have the same type");
    return env.Undefined();
  }
  if (static_cast<double>(out.ElementLength()) < outLength) {
    Fail(env, "out is too short", true);
    return env.Undefined();
  }
  if (type == napi_float32_array) F32(Data<float>(x), rows, cols, Data<float>(out));
  else F64(Data<double>(x), rows, cols, Data<double>(out));
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  nabla::RegisterInterrupt(env, exports);
  nabla::RegisterMemory(env, exports);
  nabla::RegisterChannels(env, exports);
  exports.Set("cpu", Napi::Function::New(env, Cpu, "cpu"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads, "getThreads"));
  exports.Set("setKernel", Napi::Function::New(env, SetKernel, "setKernel"));
  exports.Set("matmul", Napi::Function::New(env, Matmul, "matmul"));
  exports.Set("matmulSum", Napi::Function::New(env, MatmulSum, "matmulSum"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("binarySame", Napi::Function::New(env, BinarySame, "binarySame"));
  exports.Set("binaryRow", Napi::Function::New(env, BinaryRow, "binaryRow"));
  exports.Set("sumRows",
              Napi::Function::New(env, RowsCols<nabla::SumRows<float>, nabla::SumRows<double>, 0>,
                                  "sumRows"));
  exports.Set("sumAxis0",
              Napi::Function::New(env, RowsCols<nabla::SumAxis0<float>, nabla::SumAxis0<double>, 1>,
                                  "sumAxis0"));
  exports.Set("logSoftmaxRows",
              Napi::Function::New(
                  env, RowsCols<nabla::LogSoftmaxRows<float>, nabla::LogSoftmaxRows<double>, 2>,
                  "logSoftmaxRows"));
  nabla::bindings::RegisterOptimizers(env, exports);
  nabla::bindings::RegisterWindows(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(nabla_native, Init)
