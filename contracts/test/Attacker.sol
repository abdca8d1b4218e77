// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Attacker
/// @notice TEST ONLY. A contract account that can hold escrow balances / stakes and forward calls,
/// so a ReentrantToken hook can make it re-enter from inside a token transfer.
contract Attacker {
    /// @notice Forwards `data` to `target` and bubbles a revert.
    function exec(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }
}
