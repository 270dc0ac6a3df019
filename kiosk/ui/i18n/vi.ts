<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>CameraPage</name>
    <message>
        <location filename="../technician/camera_page.py" line="89" />
        <source>Now: {0} ({1})</source>
        <translation>Đang dùng: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="95" />
        <source>{0:.0f} frames/s in · {1:.0f} decoded/s · {2} codes read</source>
        <translation>{0:.0f} khung hình/giây · giải mã {1:.0f}/giây · đã đọc {2} mã</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="101" />
        <source>Use this camera</source>
        <translation>Dùng camera này</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="102" />
        <source>Look again</source>
        <translation>Tìm lại</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="103" />
        <source>A new camera is used from the next start of the kiosk.</source>
        <translation>Camera mới được dùng từ lần khởi động kiosk sau.</translation>
    </message>
</context>
<context>
    <name>CounterPanel</name>
    <message>
        <location filename="../widgets/counter_panel.py" line="154" />
        <source>Waiting for a scan</source>
        <translation>Đang chờ quét mã</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="156" />
        <source>Verified (Công dân số)</source>
        <translation>Đã xác thực (Công dân số)</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="158" />
        <source>Read from an ID card — not verified</source>
        <translation>Đọc từ CCCD — chưa xác thực</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="178" />
        <source>✓ ID card and credential: same person</source>
        <translation>✓ CCCD và mã Công dân số: cùng một người</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="184" />
        <source>name</source>
        <translation>họ tên</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="185" />
        <location filename="../widgets/counter_panel.py" line="239" />
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="186" />
        <source>date of birth</source>
        <translation>ngày sinh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="191" />
        <source>✕ NOT the same person: {0} differ</source>
        <translation>✕ KHÔNG cùng một người: khác {0}</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="209" />
        <source>Copied as text</source>
        <translation>Đã sao chép dạng văn bản</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="216" />
        <source>Copied as JSON</source>
        <translation>Đã sao chép dạng JSON</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="228" />
        <source>Recorded</source>
        <translation>Đã ghi nhận</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="231" />
        <source>Not recorded: {0}</source>
        <translation>Chưa ghi nhận: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="234" />
        <source>Service</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="237" />
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="238" />
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="240" />
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="241" />
        <source>Show full ID number</source>
        <translation>Hiện đầy đủ số định danh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="242" />
        <source>Reference number (optional)</source>
        <translation>Số tham chiếu (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="243" />
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="244" />
        <source>Copy text</source>
        <translation>Sao chép văn bản</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="245" />
        <source>Copy JSON</source>
        <translation>Sao chép JSON</translation>
    </message>
</context>
<context>
    <name>GuardPanel</name>
    <message>
        <location filename="../widgets/guard_panel.py" line="94" />
        <source>Today: {0} in · {1} out
Inside now: {2}</source>
        <translation>Hôm nay: {0} vào · {1} ra
Đang ở trong: {2}</translation>
    </message>
    <message>
        <location filename="../widgets/guard_panel.py" line="111" />
        <source>IN  (F1)</source>
        <translation>VÀO  (F1)</translation>
    </message>
    <message>
        <location filename="../widgets/guard_panel.py" line="112" />
        <source>OUT  (F2)</source>
        <translation>RA  (F2)</translation>
    </message>
    <message>
        <location filename="../widgets/guard_panel.py" line="113" />
        <source>Last events</source>
        <translation>Lượt gần đây</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../technician/journal_page.py" line="95" />
        <source>Exporting…</source>
        <translation>Đang xuất…</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="99" />
        <source>Exported {0}</source>
        <translation>Đã xuất {0}</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="99" />
        <source>Export failed: {0}</source>
        <translation>Xuất thất bại: {0}</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="103" />
        <source>Search (verdict, reason, direction…)</source>
        <translation>Tìm (kết quả, lý do, hướng…)</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="104" />
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="105" />
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="106" />
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="107" />
        <source>To</source>
        <translation>Đến</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="293" />
        <source>DEMO — built-in test codes, not a real camera</source>
        <translation>CHẠY THỬ — mã mẫu có sẵn, không phải camera thật</translation>
    </message>
</context>
<context>
    <name>OutOfServiceView</name>
    <message>
        <location filename="../widgets/out_of_service.py" line="42" />
        <source>OUT OF SERVICE</source>
        <translation>TẠM NGỪNG HOẠT ĐỘNG</translation>
    </message>
    <message>
        <location filename="../widgets/out_of_service.py" line="44" />
        <source>Please ask staff for help. The technician sees the details.</source>
        <translation>Vui lòng nhờ nhân viên hỗ trợ. Kỹ thuật viên xem chi tiết.</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../technician/pin_page.py" line="61" />
        <source>Choose a PIN of 6 to 12 digits</source>
        <translation>Chọn mã PIN từ 6 đến 12 chữ số</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="77" />
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="81" />
        <source>Enter the same PIN again</source>
        <translation>Nhập lại mã PIN vừa chọn</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="84" />
        <source>The two PINs differ. Choose a PIN of 6 to 12 digits</source>
        <translation>Hai mã PIN không khớp. Chọn mã PIN từ 6 đến 12 chữ số</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="91" />
        <source>Journal down: the door stays locked</source>
        <translation>Nhật ký không ghi được: cửa vẫn khóa</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="93" />
        <source>Wrong PIN ({0} of 5)</source>
        <translation>Sai mã PIN (lần {0}/5)</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="96" />
        <source>Too many wrong PINs. Locked for {0} s</source>
        <translation>Sai mã PIN quá nhiều lần. Tạm khóa {0} giây</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="102" />
        <source>PIN not set: {0}</source>
        <translation>Chưa đặt được mã PIN: {0}</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="106" />
        <source>Set the technician PIN</source>
        <translation>Đặt mã PIN kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="106" />
        <source>Technician PIN</source>
        <translation>Mã PIN kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="108" />
        <source>Back to scanning</source>
        <translation>Quay lại quét mã</translation>
    </message>
</context>
<context>
    <name>ScanView</name>
    <message>
        <location filename="../widgets/scan_view.py" line="41" />
        <source>Hold the QR code inside the frame</source>
        <translation>Đưa mã QR vào khung</translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message>
        <location filename="../technician/selftest_page.py" line="73" />
        <source>Run the self-test</source>
        <translation>Chạy tự kiểm tra</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../technician/settings_page.py" line="182" />
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="187" />
        <source>Saved and journaled: {0}</source>
        <translation>Đã lưu và ghi nhật ký: {0}</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="189" />
        <source>Some changes take effect at the next start.</source>
        <translation>Một số thay đổi có hiệu lực từ lần khởi động sau.</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="193" />
        <source>Nothing changed</source>
        <translation>Không có thay đổi</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="196" />
        <source>Not saved: {0}</source>
        <translation>Chưa lưu: {0}</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="203" />
        <source>not a valid key</source>
        <translation>khóa không hợp lệ</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="204" />
        <source>Fingerprint: {0}</source>
        <translation>Dấu vân tay khóa: {0}</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="207" />
        <source>Save settings</source>
        <translation>Lưu cài đặt</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../widgets/status_line.py" line="17" />
        <source>just now</source>
        <translation>vừa xong</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="19" />
        <source>{0} min ago</source>
        <translation>{0} phút trước</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="21" />
        <source>{0} h ago</source>
        <translation>{0} giờ trước</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="22" />
        <source>{0} days ago</source>
        <translation>{0} ngày trước</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="80" />
        <source>Starting…</source>
        <translation>Đang khởi động…</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="84" />
        <source>Gate</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="84" />
        <source>Counter</source>
        <translation>Quầy</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="92" />
        <source>DEMO (no camera)</source>
        <translation>CHẠY THỬ (không có camera)</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="94" />
        <source>DEMO</source>
        <translation>CHẠY THỬ</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="107" />
        <source>No trust list</source>
        <translation>Chưa có danh sách khóa</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="109" />
        <source>List {0}</source>
        <translation>Danh sách khóa: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="115" />
        <source> · {0} waiting</source>
        <translation> · {0} chờ gửi</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="118" />
        <source> · Disk nearly full</source>
        <translation> · Bộ nhớ sắp đầy</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="118" />
        <source>Synced {0}</source>
        <translation>Đồng bộ {0}</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="121" />
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="123" />
        <source>Not synced</source>
        <translation>Chưa đồng bộ</translation>
    </message>
</context>
<context>
    <name>TechnicianView</name>
    <message>
        <location filename="../technician/technician_view.py" line="51" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="52" />
        <source>Self-test</source>
        <translation>Tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="53" />
        <source>Journal</source>
        <translation>Nhật ký</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="54" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="55" />
        <source>Lock and return to scanning</source>
        <translation>Khóa và quay lại quét mã</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="56" />
        <source>Close the kiosk app</source>
        <translation>Đóng ứng dụng kiosk</translation>
    </message>
</context>
<context>
    <name>VerdictView</name>
    <message>
        <location filename="../widgets/verdict_view.py" line="56" />
        <source>ID {0} · born {1}</source>
        <translation>Số định danh {0} · sinh năm {1}</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <location filename="../texts.py" line="20" />
        <source>Not a citizen credential</source>
        <translation>Không phải mã Công dân số</translation>
    </message>
    <message>
        <location filename="../texts.py" line="21" />
        <source>Damaged or malformed code</source>
        <translation>Mã bị hỏng hoặc sai định dạng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="22" />
        <source>Unsupported signature algorithm</source>
        <translation>Mã dùng thuật toán ký không được hỗ trợ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="25" />
        <source>This kiosk has no trust list yet</source>
        <translation>Thiết bị chưa có danh sách khóa tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="28" />
        <source>Issued by an unknown issuer</source>
        <translation>Mã do nơi cấp không được tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="29" />
        <source>Invalid signature — forged code</source>
        <translation>Chữ ký không hợp lệ — mã giả mạo</translation>
    </message>
    <message>
        <location filename="../texts.py" line="32" />
        <source>Issuer key not valid for this code</source>
        <translation>Khóa của nơi cấp không hợp lệ cho mã này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="35" />
        <source>Not valid yet</source>
        <translation>Mã chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../texts.py" line="36" />
        <source>Expired</source>
        <translation>Mã đã hết hạn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="37" />
        <source>Revoked</source>
        <translation>Mã đã bị thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="38" />
        <location filename="../texts.py" line="60" />
        <source>Trust list is out of date — sync needed</source>
        <translation>Danh sách khóa đã cũ — cần đồng bộ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="47" />
        <location filename="../texts.py" line="48" />
        <location filename="../texts.py" line="49" />
        <source>VALID</source>
        <translation>HỢP LỆ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="50" />
        <source>ALREADY INSIDE</source>
        <translation>ĐÃ Ở BÊN TRONG</translation>
    </message>
    <message>
        <location filename="../texts.py" line="51" />
        <location filename="../texts.py" line="185" />
        <source>NOT VALID</source>
        <translation>KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="52" />
        <source>UNVERIFIED</source>
        <translation>CHƯA XÁC THỰC</translation>
    </message>
    <message>
        <location filename="../texts.py" line="63" />
        <location filename="../texts.py" line="66" />
        <source>Entered before without leaving</source>
        <translation>Đã vào trước đó mà chưa ra</translation>
    </message>
    <message>
        <location filename="../texts.py" line="70" />
        <source>ID card code, not signed: it proves nothing</source>
        <translation>Mã trên CCCD, không có chữ ký: không xác thực được</translation>
    </message>
    <message>
        <location filename="../texts.py" line="79" />
        <source>Entry</source>
        <translation>Lối vào</translation>
    </message>
    <message>
        <location filename="../texts.py" line="81" />
        <source>Exit</source>
        <translation>Lối ra</translation>
    </message>
    <message>
        <location filename="../texts.py" line="88" />
        <source>OUT</source>
        <translation>RA</translation>
    </message>
    <message>
        <location filename="../texts.py" line="89" />
        <source>IN</source>
        <translation>VÀO</translation>
    </message>
    <message>
        <location filename="../texts.py" line="93" />
        <source>Do not let through</source>
        <translation>Không cho qua</translation>
    </message>
    <message>
        <location filename="../texts.py" line="98" />
        <source>Electricity</source>
        <translation>Điện</translation>
    </message>
    <message>
        <location filename="../texts.py" line="99" />
        <source>Water</source>
        <translation>Nước</translation>
    </message>
    <message>
        <location filename="../texts.py" line="100" />
        <source>Environment</source>
        <translation>Môi trường</translation>
    </message>
    <message>
        <location filename="../texts.py" line="101" />
        <source>Health</source>
        <translation>Y tế</translation>
    </message>
    <message>
        <location filename="../texts.py" line="102" />
        <source>Education</source>
        <translation>Giáo dục</translation>
    </message>
    <message>
        <location filename="../texts.py" line="103" />
        <source>Banking</source>
        <translation>Ngân hàng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="110" />
        <source>Camera starting</source>
        <translation>Camera đang khởi động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="111" />
        <source>Camera on</source>
        <translation>Camera hoạt động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="112" />
        <source>Camera lost</source>
        <translation>Mất camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="113" />
        <source>Camera reconnecting</source>
        <translation>Đang kết nối lại camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="114" />
        <source>Source ended</source>
        <translation>Nguồn đã hết</translation>
    </message>
    <message>
        <location filename="../texts.py" line="115" />
        <source>Camera failed</source>
        <translation>Camera lỗi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="116" />
        <source>Camera off</source>
        <translation>Camera tắt</translation>
    </message>
    <message>
        <location filename="../texts.py" line="123" />
        <source>Scanner starting</source>
        <translation>Máy quét đang khởi động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="124" />
        <source>Scanner ready</source>
        <translation>Máy quét sẵn sàng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="125" />
        <source>Scanner lost</source>
        <translation>Mất máy quét</translation>
    </message>
    <message>
        <location filename="../texts.py" line="126" />
        <source>Scanner reconnecting</source>
        <translation>Đang kết nối lại máy quét</translation>
    </message>
    <message>
        <location filename="../texts.py" line="127" />
        <source>Scanner failed</source>
        <translation>Máy quét lỗi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="128" />
        <source>Scanner off</source>
        <translation>Máy quét tắt</translation>
    </message>
    <message>
        <location filename="../texts.py" line="140" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="141" />
        <source>QR decoder (test image)</source>
        <translation>Bộ đọc QR (ảnh thử)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="142" />
        <source>Trust list</source>
        <translation>Danh sách khóa tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="143" />
        <source>Revocation list</source>
        <translation>Danh sách thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="144" />
        <source>Clock vs portal</source>
        <translation>Đồng hồ so với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="145" />
        <source>Portal reachable</source>
        <translation>Kết nối cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="146" />
        <source>Disk space</source>
        <translation>Dung lượng đĩa</translation>
    </message>
    <message>
        <location filename="../texts.py" line="147" />
        <source>Journal chain</source>
        <translation>Chuỗi nhật ký</translation>
    </message>
    <message>
        <location filename="../texts.py" line="155" />
        <source>Demo mode: connect a camera and set scan.source</source>
        <translation>Chế độ chạy thử: cắm camera và đặt scan.source</translation>
    </message>
    <message>
        <location filename="../texts.py" line="158" />
        <source>Check the camera cable, then restart</source>
        <translation>Kiểm tra cáp camera rồi khởi động lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="161" />
        <source>Reinstall the kiosk software</source>
        <translation>Cài đặt lại phần mềm kiosk</translation>
    </message>
    <message>
        <location filename="../texts.py" line="162" />
        <source>Connect to the portal to fetch the latest lists</source>
        <translation>Kết nối cổng dịch vụ để tải danh sách mới nhất</translation>
    </message>
    <message>
        <location filename="../texts.py" line="165" />
        <source>Enrol the kiosk with the portal</source>
        <translation>Đăng ký kiosk với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="166" />
        <source>Check the network and the portal address</source>
        <translation>Kiểm tra mạng và địa chỉ cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="169" />
        <source>Set the clock (enable NTP)</source>
        <translation>Chỉnh đồng hồ (bật NTP)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="170" />
        <source>Free disk space or replace the storage</source>
        <translation>Giải phóng dung lượng hoặc thay ổ lưu trữ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="171" />
        <source>Journal altered: report to the portal operator</source>
        <translation>Nhật ký bị sửa: báo cho đơn vị quản lý cổng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="180" />
        <source>Storage fault: events cannot be saved</source>
        <translation>Lỗi lưu trữ: không ghi được sự kiện</translation>
    </message>
    <message>
        <location filename="../texts.py" line="181" />
        <source>Internal fault: the kiosk is restarting its work</source>
        <translation>Lỗi nội bộ: kiosk đang khởi động lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="191" />
        <source>Not a valid technician badge</source>
        <translation>Không phải thẻ kỹ thuật viên hợp lệ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="192" />
        <source>Badge not signed for this kiosk</source>
        <translation>Thẻ không được ký cho kiosk này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="193" />
        <source>Badge is for another kiosk or site</source>
        <translation>Thẻ dành cho kiosk hoặc địa điểm khác</translation>
    </message>
    <message>
        <location filename="../texts.py" line="194" />
        <source>Badge not valid yet</source>
        <translation>Thẻ chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../texts.py" line="195" />
        <source>Badge expired</source>
        <translation>Thẻ đã hết hạn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="196" />
        <source>Badge lifetime too long</source>
        <translation>Thời hạn thẻ quá dài</translation>
    </message>
    <message>
        <location filename="../texts.py" line="197" />
        <source>This kiosk has no trust anchor</source>
        <translation>Kiosk chưa có khóa gốc tin cậy</translation>
    </message>
</context>
</TS>