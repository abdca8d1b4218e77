// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ComputeUnits
/// @notice The unit, grade and money formulas of docs/units-and-money.md. Market.Matching and
/// Market.Billing implement the same formulas in C#; tests on both sides pin them to the same numbers.
/// @dev Every input has a bounded width (mNCU: uint64, seconds: uint32, prices: uint96,
/// usage: uint128, bps: uint16), so no product below can overflow a uint256.
library ComputeUnits {
    /// @notice Compute types. Logical = CPU, Parallel = GPU FP32, Neural = tensor / NPU.
    uint8 internal constant LOGICAL = 0;
    uint8 internal constant PARALLEL = 1;
    uint8 internal constant NEURAL = 2;
    uint8 internal constant COMPUTE_TYPE_COUNT = 3;

    /// @notice One NCU-hour in mNCU·s: 1,000 mNCU × 3,600 s.
    uint256 internal constant MILLI_NCU_SECONDS_PER_NCU_HOUR = 3_600_000;
    uint256 internal constant BPS = 10_000;

    /// @notice The grade of a capacity of `m` mNCU; 0 for m = 0 (no grade, rejected everywhere).
    function gradeOf(uint256 m) internal pure returns (uint8) {
        if (m == 0) return 0;
        if (m > 1_000_000) return 1;
        if (m >= 10_000) return 2;
        if (m >= 500) return 3;
        return 4;
    }

    /// @notice ceil(mNCU × maxDurationSec × price / 3,600,000): what a lease locks.
    function lockAmount(uint256 milliNcu, uint256 maxDurationSec, uint256 price) internal pure returns (uint256) {
        // < 2^64 · 2^32 · 2^96 = 2^192 for in-range inputs; checked arithmetic otherwise.
        return Math.ceilDiv(milliNcu * maxDurationSec * price, MILLI_NCU_SECONDS_PER_NCU_HOUR);
    }

    /// @notice floor(usage mNCU·s × price / 3,600,000): what a settled lease costs; rounds toward the consumer.
    function charge(uint256 usage, uint256 price) internal pure returns (uint256) {
        return (usage * price) / MILLI_NCU_SECONDS_PER_NCU_HOUR; // < 2^128 · 2^96
    }

    /// @notice ceil(lockAmount × penaltyBps / 10,000): the SLA-breach penalty, before the stake cap.
    function penalty(uint256 locked, uint256 penaltyBps) internal pure returns (uint256) {
        return Math.ceilDiv(locked * penaltyBps, BPS);
    }

    /// @notice floor(charge × feeBps / 10,000): the market fee out of a charge.
    function fee(uint256 amount, uint256 feeBps) internal pure returns (uint256) {
        return (amount * feeBps) / BPS;
    }
}
