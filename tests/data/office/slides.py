"""Writes slides.fodp, slides-vntime.fodp and slides-vni.fodp: a 3-slide deck, the name on slide 2.

Convert each with `soffice --headless --convert-to odp` and `--convert-to pptx`
(LibreOffice Impress must be installed: libreoffice-impress-nogui on Debian)."""

NAMES = {
    "": ("Trần Đức Lương", None),
    "-vntime": ("TrÇn §øc L&#173;¬ng", ".VnTime"),
    "-vni": ("Traàn Ñöùc Löông", "VNI-Times"),
}

def deck(suffix):
    name, font = NAMES[suffix]
    face = f'<style:font-face style:name="{font}" svg:font-family="&apos;{font}&apos;" style:font-pitch="variable"/>' if font else ""
    legacy_style = f'''<style:style style:name="T1" style:family="text">
   <style:text-properties style:font-name="{font}"/>
  </style:style>''' if font else ""
    name_run = f'<text:span text:style-name="T1">{name}</text:span>' if font else name
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:meta><dc:title>Báo cáo tổng kết năm 2024</dc:title></office:meta>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>
  {face}
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="graphic">
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="24pt"/>
  </style:default-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="PM1">
   <style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/>
  </style:page-layout>
  <style:style style:name="dp1" style:family="drawing-page"/>
  <style:style style:name="gr1" style:family="graphic">
   <style:graphic-properties draw:stroke="solid" draw:fill="none"/>
  </style:style>
  <style:style style:name="P1" style:family="paragraph">
   <style:text-properties fo:font-size="40pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="P2" style:family="paragraph">
   <style:text-properties fo:font-size="28pt"/>
  </style:style>
  <style:style style:name="P3" style:family="paragraph">
   <style:text-properties fo:font-size="18pt"/>
  </style:style>
  {legacy_style}
  <text:list-style style:name="L1">
   <text:list-level-style-bullet text:level="1" text:bullet-char="●">
    <style:list-level-properties text:space-before="0.6cm" text:min-label-width="0.9cm"/>
   </text:list-level-style-bullet>
  </text:list-style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Default" style:page-layout-name="PM1" draw:style-name="dp1"/>
 </office:master-styles>
 <office:body>
  <office:presentation>
   <draw:page draw:name="Trang bìa" draw:master-page-name="Default">
    <draw:frame presentation:class="title" svg:x="2cm" svg:y="3cm" svg:width="24cm" svg:height="4cm">
     <draw:text-box><text:p text:style-name="P1">Báo cáo tổng kết công tác năm 2024</text:p></draw:text-box>
    </draw:frame>
    <draw:frame presentation:class="subtitle" svg:x="2cm" svg:y="8cm" svg:width="24cm" svg:height="3cm">
     <draw:text-box><text:p text:style-name="P2">Ủy ban nhân dân xã Tân Lập, huyện Đông Anh</text:p></draw:text-box>
    </draw:frame>
   </draw:page>
   <draw:page draw:name="Thành phần" draw:master-page-name="Default">
    <draw:frame presentation:class="title" svg:x="2cm" svg:y="1cm" svg:width="24cm" svg:height="2.5cm">
     <draw:text-box><text:p text:style-name="P1">Thành phần tham dự</text:p></draw:text-box>
    </draw:frame>
    <draw:frame presentation:class="outline" svg:x="2cm" svg:y="4cm" svg:width="24cm" svg:height="10cm">
     <draw:text-box>
      <text:list text:style-name="L1">
       <text:list-item><text:p text:style-name="P2">Ông {name_run}, Chủ tịch Ủy ban nhân dân xã</text:p></text:list-item>
       <text:list-item><text:p text:style-name="P2">Bà Nguyễn Thị Hoa, Phó Chủ tịch phụ trách văn hóa</text:p></text:list-item>
       <text:list-item><text:p text:style-name="P2">Trưởng các thôn và đại diện các đoàn thể</text:p></text:list-item>
      </text:list>
     </draw:text-box>
    </draw:frame>
   </draw:page>
   <draw:page draw:name="Ngân sách" draw:master-page-name="Default">
    <draw:frame presentation:class="title" svg:x="2cm" svg:y="1cm" svg:width="24cm" svg:height="2.5cm">
     <draw:text-box><text:p text:style-name="P1">Kết quả thu ngân sách</text:p></draw:text-box>
    </draw:frame>
    <draw:frame draw:style-name="gr1" svg:x="2cm" svg:y="4.5cm" svg:width="24cm" svg:height="4.5cm">
     <table:table>
      <table:table-column/><table:table-column/><table:table-column/>
      <table:table-row>
       <table:table-cell><text:p>Hạng mục</text:p></table:table-cell>
       <table:table-cell><text:p>Kế hoạch (triệu đồng)</text:p></table:table-cell>
       <table:table-cell><text:p>Thực hiện (triệu đồng)</text:p></table:table-cell>
      </table:table-row>
      <table:table-row>
       <table:table-cell><text:p>Thuế</text:p></table:table-cell>
       <table:table-cell><text:p>1.200</text:p></table:table-cell>
       <table:table-cell><text:p>1.350</text:p></table:table-cell>
      </table:table-row>
      <table:table-row>
       <table:table-cell><text:p>Phí và lệ phí</text:p></table:table-cell>
       <table:table-cell><text:p>300</text:p></table:table-cell>
       <table:table-cell><text:p>320</text:p></table:table-cell>
      </table:table-row>
     </table:table>
    </draw:frame>
    <presentation:notes>
     <draw:page-thumbnail presentation:class="page" svg:x="2cm" svg:y="2cm" svg:width="17cm" svg:height="9.5cm"/>
     <draw:frame presentation:class="notes" svg:x="2cm" svg:y="13cm" svg:width="17cm" svg:height="10cm">
      <draw:text-box><text:p text:style-name="P3">Nhắc tiến độ khánh thành nhà văn hóa thôn Đông trước Tết.</text:p></draw:text-box>
     </draw:frame>
    </presentation:notes>
   </draw:page>
  </office:presentation>
 </office:body>
</office:document>
'''

for suffix in NAMES:
    with open(f"slides{suffix}.fodp", "w", encoding="utf-8") as f:
        f.write(deck(suffix))
