namespace Market.Matching.Model;

/// <summary>The survey's three kinds of computing power (section III). Values are the on-chain uint8.</summary>
public enum ComputeType : byte
{
    /// <summary>CPU, measured in ops/s.</summary>
    Logical = 0,
    /// <summary>GPU, measured in FP32 FLOPS.</summary>
    Parallel = 1,
    /// <summary>NPU / TPU / tensor cores, measured in low-precision FLOPS.</summary>
    Neural = 2,
}
