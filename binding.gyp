{
  "target_defaults": {
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags": ["-O3", "-fPIC", "-ffp-contract=off", "-fno-math-errno"],
    "cflags_cc": ["-std=gnu++17"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"]
  },
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": [
        "native/addon.cc",
        "native/bindings.cc",
        "native/window_bindings.cc",
        "native/optim_bindings.cc",
        "native/elementwise.cc",
        "native/optim.cc",
        "native/cpu.cc",
        "native/gemm.cc",
        "native/pool.cc",
        "native/interrupt.cc",
        "native/memory.cc",
        "native/norm.cc",
        "native/window.cc",
        "native/channels.cc",
        "native/kernel_generic.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "dependencies": ["nabla_avx512", "nabla_avx2"]
    },
    {
      "target_name": "nabla_avx512",
      "type": "static_library",
      "sources": ["native/kernel_avx512.cc"],
      "conditions": [
        ["target_arch=='x64' or target_arch=='ia32'", { "cflags": ["-mavx512f", "-mfma"] }]
      ]
    },
    {
      "target_name": "nabla_avx2",
      "type": "static_library",
      "sources": ["native/kernel_avx2.cc"],
      "conditions": [
        ["target_arch=='x64' or target_arch=='ia32'", { "cflags": ["-mavx2", "-mfma"] }]
      ]
    }
  ]
}
