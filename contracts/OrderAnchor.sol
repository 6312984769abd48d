// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title OrderAnchor
 * @dev Anchors the Merkle roots of ordertrace event batches, one root per batch sequence number.
 *
 * Batches are numbered 1, 2, 3, ... without gaps; each root is written once and never changes. The block of the
 * anchoring transaction bounds the time of every event in the batch from above, and the {Anchored} log in its
 * receipt ties the root to that block. Trees use sorted-pair keccak-256 (OpenZeppelin {MerkleProof}), so a leaf's
 * proof from the ordertrace proof core can also be checked here with {verify}.
 *
 * Gas: an anchor writes exactly one new storage slot (the root). There is no separate `lastSeq` counter: because
 * roots are contiguous from 1, "`seq` is the next one" is the same as "`seq` is free and `seq - 1` is taken",
 * which costs one cold read instead of a counter write. The batch's leaf count is not stored: it would need more
 * than one new slot for some anchors. It is carried by the {Anchored} event, which verifiers read from the receipt.
 */
contract OrderAnchor is AccessControl {
    /// @dev Role allowed to call {anchor}. Administered by `DEFAULT_ADMIN_ROLE`.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    /// @dev Root of each anchored batch by sequence number; zero for batches not anchored yet.
    mapping(uint64 seq => bytes32 root) private _roots;

    /**
     * @dev Emitted when the batch `seq` with Merkle root `root` over `leafCount` leaves is anchored.
     */
    event Anchored(uint64 indexed seq, bytes32 indexed root, uint32 leafCount);

    /**
     * @dev The batch `given` is not the next one: only `expected` (`lastSeq() + 1`) can be anchored now.
     */
    error OrderAnchorOutOfOrder(uint64 expected, uint64 given);

    /**
     * @dev The root is zero, which is reserved to mean "not anchored".
     */
    error OrderAnchorZeroRoot();

    /**
     * @dev The batch has no leaves.
     */
    error OrderAnchorEmptyBatch();

    /**
     * @dev The `account` given to the constructor is the zero address.
     */
    error OrderAnchorInvalidAccount(address account);

    /**
     * @dev Grants `DEFAULT_ADMIN_ROLE` to `admin` and `ANCHORER_ROLE` to `anchorer` (they may be the same account).
     */
    constructor(address admin, address anchorer) {
        if (admin == address(0)) revert OrderAnchorInvalidAccount(admin);
        if (anchorer == address(0)) revert OrderAnchorInvalidAccount(anchorer);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, anchorer);
    }

    /**
     * @dev Anchors batch `seq` with Merkle root `root` over `leafCount` leaves.
     *
     * Requirements:
     *
     * - the caller must have `ANCHORER_ROLE`.
     * - `seq` must be `lastSeq() + 1`.
     * - `root` must not be zero.
     * - `leafCount` must not be zero.
     *
     * Emits an {Anchored} event.
     */
    function anchor(uint64 seq, bytes32 root, uint32 leafCount) external onlyRole(ANCHORER_ROLE) {
        if (root == bytes32(0)) revert OrderAnchorZeroRoot();
        if (leafCount == 0) revert OrderAnchorEmptyBatch();
        unchecked {
            // For seq == 0, seq - 1 wraps to the maximum seq, which is never anchored, so seq 0 is rejected too.
            if (_roots[seq] != 0 || (seq != 1 && _roots[seq - 1] == 0)) {
                revert OrderAnchorOutOfOrder(lastSeq() + 1, seq);
            }
        }
        _roots[seq] = root;
        emit Anchored(seq, root, leafCount);
    }

    /**
     * @dev Returns the sequence number of the last anchored batch, or 0 if none is.
     *
     * Found by a galloping binary search over the contiguous roots: O(log n) storage reads, meant for
     * `eth_call` and for the revert path of {anchor}, never for the anchoring hot path.
     */
    function lastSeq() public view returns (uint64) {
        if (_roots[1] == 0) return 0;
        // Invariant: `low` is anchored; `high` is not, or is past the largest seq.
        uint256 low = 1;
        uint256 high = 2;
        while (high <= type(uint64).max && _roots[uint64(high)] != 0) {
            low = high;
            high <<= 1;
        }
        while (high - low > 1) {
            uint256 mid = (low + high) >> 1;
            if (_roots[uint64(mid)] != 0) low = mid;
            else high = mid;
        }
        return uint64(low);
    }

    /**
     * @dev Returns the Merkle root of batch `seq`, or zero if that batch is not anchored.
     */
    function batch(uint64 seq) external view returns (bytes32 root) {
        return _roots[seq];
    }

    /**
     * @dev Returns true if `proof` folds `leaf` to the root of the anchored batch `seq` (sorted-pair keccak-256),
     * false otherwise, including when `seq` is not anchored.
     *
     * NOTE: `leaf` is the leaf hash, not the record. An inner node of the tree with its shorter proof folds to the
     * root as well; ordertrace leaves are `keccak256(0x00 || JCS(record))`, so callers must derive `leaf` from the
     * record they are checking rather than accept one.
     */
    function verify(uint64 seq, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        bytes32 root = _roots[seq];
        return root != bytes32(0) && MerkleProof.verifyCalldata(proof, root, leaf);
    }
}
