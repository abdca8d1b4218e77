// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IOfferBook
/// @notice What LeaseEscrow needs from the offer book.
interface IOfferBook {
    /// @notice The terms of an offer that a lease is checked against and keeps.
    struct OfferTerms {
        address provider;
        uint8 computeType;
        uint8 grade;
        uint96 pricePerNcuHour;
        uint32 maxDurationSec;
        uint16 uptimeBps;
        uint16 penaltyBps;
    }

    /// @notice Reserves `milliNcu` of the offer's free capacity; only the escrow.
    /// Reverts if the offer is withdrawn, expired, its provider is not Active, or capacity is short.
    function reserve(uint256 offerId, uint64 milliNcu) external returns (OfferTerms memory terms);

    /// @notice Releases reserved capacity, `amounts[i]` mNCU of offer `offerIds[i]`; only the escrow.
    function release(uint256[] calldata offerIds, uint256[] calldata amounts) external;
}
