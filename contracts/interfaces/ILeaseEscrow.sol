// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ILeaseEscrow
/// @notice What ProviderRegistry asks the escrow before releasing a stake.
interface ILeaseEscrow {
    /// @notice How many leases of `provider` are open (not yet settled or reclaimed).
    function openLeaseCount(address provider) external view returns (uint256);
}
