// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ComputeUnits} from "../libraries/ComputeUnits.sol";

/// @title ComputeUnitsHarness
/// @notice TEST ONLY. Exposes the ComputeUnits library so tests pin its numbers.
contract ComputeUnitsHarness {
    function gradeOf(uint256 m) external pure returns (uint8) {
        return ComputeUnits.gradeOf(m);
    }

    function lockAmount(uint256 m, uint256 d, uint256 p) external pure returns (uint256) {
        return ComputeUnits.lockAmount(m, d, p);
    }

    function charge(uint256 u, uint256 p) external pure returns (uint256) {
        return ComputeUnits.charge(u, p);
    }

    function penalty(uint256 l, uint256 b) external pure returns (uint256) {
        return ComputeUnits.penalty(l, b);
    }

    function fee(uint256 c, uint256 b) external pure returns (uint256) {
        return ComputeUnits.fee(c, b);
    }
}
